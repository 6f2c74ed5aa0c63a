import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NativeLab, upTopology } from '../lab/run/driver/native/driver.ts';
import { findLeftovers } from '../lab/run/driver/pid-control.ts';
import { faultProxyApi } from '../lab/run/processes/fault-proxy-api.ts';
import { freePort } from '../lab/run/processes/ports.ts';
import { clusterNodeAddresses } from '../lab/run/processes/redis-announce.ts';
import { redisCommand } from '../lab/run/processes/resp.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import { getTopology } from '../lab/topology/catalog.ts';
import { compensated } from '../lab/topology/network.ts';
import { faultProxies, withNetwork } from '../lab/topology/network-proxies.ts';
import { call } from './app-support.ts';
import { establishedSockets } from './support/process-sockets.ts';
import { expectAppsThroughProxies } from './support/proxy-bypass.ts';

// A Redis Cluster topology under the same-az profile, natively: a fault proxy on every hop, the
// cluster announcing its proxies, and proof from the kernel's socket tables that no app server
// talks to Redis or Postgres except through its proxy.

const topology = withNetwork(getTopology('global-cluster'), { profile: 'same-az' });
let runDir: string;
let lab: NativeLab;

beforeAll(async () => {
  runDir = await makeRunDir('cachelab-network-native');
  lab = await upTopology(topology, {
    runDir,
    httpPort: await freePort(),
    seedUsers: 300,
    appLogLevel: 'warn',
  });
});
afterAll(async () => {
  if (lab) {
    await lab.down();
    expect(await findLeftovers(lab.state.services)).toEqual({ alive: [], busyPorts: [] });
  }
  if (runDir) await removeRunDir(runDir);
});

function network() {
  const run = lab.services.network;
  if (!run) throw new Error('no fault proxy in a same-az lab');
  return run;
}

describe('global-cluster under same-az, natively', () => {
  it('runs exactly the proxies the model derives, with its latency toxics', async () => {
    const redis = lab.services.redis?.nodes ?? [];
    const expected = faultProxies(topology, {
      app: (i) => `127.0.0.1:${lab.services.apps[i]?.port}`,
      redis: (i) => redis[i]?.address ?? '',
      postgres: `127.0.0.1:${lab.services.postgres?.port}`,
    });
    const running = await faultProxyApi(network().handle.url).proxies();
    expect(Object.keys(running).sort()).toEqual(expected.map((p) => p.name).sort());
    const { overheadMs } = network();
    expect(overheadMs).toBeGreaterThanOrEqual(0);
    expect(overheadMs).toBeLessThan(0.5);
    for (const spec of expected) {
      const proxy = running[spec.name];
      expect(proxy?.upstream).toBe(spec.upstream);
      expect(proxy?.toxics.map((t) => [t.stream, t.attributes])).toEqual(
        spec.toxics.map((t) => compensated(t, overheadMs)).map((t) => [t.stream, t.attributes]),
      );
    }
    expect(lab.state.services.some((s) => s.role === 'network' && s.name === 'fault-proxy')).toBe(
      true,
    );
  });

  it('serves through nginx, with repeated reads answered by the cluster', async () => {
    for (const id of [1, 2, 3, 4, 5, 6, 7, 8]) {
      expect((await call(lab.url, `/profiles/${id}`)).status).toBe(200);
    }
    const again = await call(lab.url, '/profiles/3');
    expect([again.status, again.headers.get('x-cache')]).toEqual([200, 'HIT-L2']);
  });

  it('every cluster node announces its proxy, so slot maps and redirections point at proxies', async () => {
    const proxyAddresses = (lab.services.redis?.nodes ?? [])
      .map((_, i) => `127.0.0.1:${network().ports.get(`redis-${i + 1}`)}`)
      .sort();
    for (const node of lab.services.redis?.nodes ?? []) {
      const seen = clusterNodeAddresses(await redisCommand(node.port, ['CLUSTER', 'NODES']));
      expect(seen.sort()).toEqual(proxyAddresses);
    }
  });

  it('no app server has a connection to a Redis node or Postgres except through a proxy', async () => {
    const redisPorts = new Set((lab.services.redis?.nodes ?? []).map((n) => n.port));
    // Bus connections included: two-tier topologies run the same check in bus-hop-native.
    await expectAppsThroughProxies(lab, topology);
    const proxyRemote = (await establishedSockets(network().handle.pid)).map((s) => s.remotePort);
    expect(proxyRemote.some((port) => redisPorts.has(port))).toBe(true);
    const nginxConf = await readFile(join(lab.services.nginx?.prefix ?? '', 'nginx.conf'), 'utf8');
    for (const app of lab.services.apps) {
      expect(nginxConf).toContain(`127.0.0.1:${network().ports.get(app.name)}`);
      expect(nginxConf).not.toContain(`127.0.0.1:${app.port}`);
    }
  });
});
