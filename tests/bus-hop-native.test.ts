import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheusText, sumSamples } from '../lab/measure/scrape/prometheus-text.ts';
import { type NativeLab, nativeDriver, upTopology } from '../lab/run/driver/native/driver.ts';
import { findLeftovers } from '../lab/run/driver/pid-control.ts';
import { faultProxyApi } from '../lab/run/processes/fault-proxy-api.ts';
import { waitUntil } from '../lab/run/processes/managed-process.ts';
import { freePort } from '../lab/run/processes/ports.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import { getTopology } from '../lab/topology/catalog.ts';
import type { Topology } from '../lab/topology/model.ts';
import { faultProxies, withNetwork } from '../lab/topology/network-proxies.ts';
import { validateTopology } from '../lab/topology/schema.ts';
import { call, patchProfile, readProfile } from './app-support.ts';
import { expectAppsThroughProxies } from './support/proxy-bypass.ts';

// two-tier under lan, natively: every app server subscribes to the invalidation bus through a fault
// proxy of its own (bus-app-N), so one server's bus can be cut while its L2 connection and the other
// servers' buses carry on. The kernel's socket tables prove that no app→Redis connection bypasses
// its proxy, the bus connections included.

const single = withNetwork(getTopology('two-tier'), { profile: 'lan' });
const overCluster = withNetwork(
  validateTopology({
    ...getTopology('two-tier'),
    cache: { ...getTopology('two-tier').cache, l2Cluster: true },
    redis: { kind: 'cluster', masters: 3, replicasPerMaster: 0 },
  }),
  { profile: 'lan' },
);
const CUT = { name: 'cut', type: 'timeout', attributes: { timeout: 0 } };
/** Heartbeat (1 s) + its timeout (2 s) + reconnect backoff and the catch-up, with room to spare. */
const NOTICE_MS = 10_000;
let lab: NativeLab;

/** Brings `topology` up for the enclosing describe, and down (checking for leftovers) after it. */
function labOf(topology: Topology): void {
  let runDir = '';
  beforeAll(async () => {
    runDir = await makeRunDir('cachelab-bus-hop');
    lab = await upTopology(topology, {
      runDir,
      httpPort: await freePort(),
      seedUsers: 300,
      appLogLevel: 'warn',
    });
  }, 120_000);
  afterAll(async () => {
    if (lab) {
      await lab.down();
      expect(await findLeftovers(lab.state.services)).toEqual({ alive: [], busyPorts: [] });
    }
    if (runDir) await removeRunDir(runDir);
  }, 60_000);
}

function network() {
  const run = lab.services.network;
  if (!run) throw new Error('no fault proxy in a lan lab');
  return run;
}

const appUrl = (i: number): string => `http://127.0.0.1:${lab.services.apps[i]?.port}`;
/** Bus messages app server `i` received so far (its /metrics). */
async function received(i: number): Promise<number> {
  const text = (await call(appUrl(i), '/metrics')).text;
  const samples = parsePrometheusText(text);
  return sumSamples(samples, 'cachelab_invalidations_total', { direction: 'received' });
}

/** Polls until app server `i` answers profile `id` from `tier` (its L1 live or bypassed). */
async function untilServedFrom(i: number, id: number, tier: 'HIT-L1' | 'HIT-L2'): Promise<void> {
  await waitUntil(
    `app-${i + 1} answering profile ${id} with ${tier}`,
    async () => (await readProfile(appUrl(i), id)).cache === tier,
    { timeoutMs: NOTICE_MS, intervalMs: 100 },
  );
}

async function toxicsOf(proxy: string): Promise<string[]> {
  const proxies = await faultProxyApi(network().handle.url).proxies();
  return (proxies[proxy]?.toxics ?? []).map((t) => t.name);
}

/** The fault proxy runs exactly the proxies the model derives for `topology`. */
async function expectDerivedProxies(topology: Topology): Promise<void> {
  const expected = faultProxies(topology, {
    app: (i) => `127.0.0.1:${lab.services.apps[i]?.port}`,
    redis: (i) => lab.services.redis?.nodes[i]?.address ?? '',
    postgres: `127.0.0.1:${lab.services.postgres?.port}`,
  });
  const running = await faultProxyApi(network().handle.url).proxies();
  expect(Object.keys(running).sort()).toEqual(expected.map((p) => p.name).sort());
  for (const spec of expected) expect(running[spec.name]?.upstream).toBe(spec.upstream);
}

/** Each server misses once (its pool then holds a Postgres connection), then the socket check. */
async function expectNoBypass(topology: Topology): Promise<void> {
  for (const i of [0, 1, 2]) expect((await readProfile(appUrl(i), 20 + i)).status).toBe(200);
  await expectAppsThroughProxies(lab, topology);
}

describe('two-tier under lan: a bus hop per app server', () => {
  labOf(single);

  it('runs the derived proxies: bus-app-1…3 beside the shared redis-1', async () => {
    await expectDerivedProxies(single);
    const running = await faultProxyApi(network().handle.url).proxies();
    for (const name of ['bus-app-1', 'bus-app-2', 'bus-app-3']) {
      expect(running[name]?.upstream).toBe(lab.services.redis?.nodes[0]?.address);
      expect(running[name]?.toxics.map((t) => t.type)).toEqual(['latency']);
    }
  });

  it('no app→Redis connection bypasses its proxy: L2 via redis-1, the bus via its own', async () => {
    await expectNoBypass(single);
  });

  it('cuts app-2 bus alone: its L2 reads keep working, the other buses carry on', async () => {
    for (const id of [7, 8]) await readProfile(appUrl(1), id);
    await untilServedFrom(1, 7, 'HIT-L1');
    const applied = await nativeDriver.applyToxic(lab, 'bus-app-2', CUT);
    expect(applied.detail).toContain('on bus-app-2');
    try {
      expect(await toxicsOf('bus-app-2')).toContain('cut');
      for (const other of ['bus-app-1', 'bus-app-3', 'redis-1']) {
        expect(await toxicsOf(other)).not.toContain('cut');
      }
      // app-2 notices its silent bus by its heartbeat and stops trusting its L1: reads go to L2.
      await untilServedFrom(1, 7, 'HIT-L2');
      for (const id of [7, 7, 8, 8]) {
        const read = await readProfile(appUrl(1), id);
        expect([read.status, read.cache]).toEqual([200, 'HIT-L2']);
      }
      const before = await Promise.all([0, 1, 2].map(received));
      const reply = await patchProfile(appUrl(0), 9, { headline: 'bus partition' });
      expect(reply.status).toBe(200);
      const version = Number(reply.headers.get('x-profile-version'));
      await waitUntil(
        'app-1 and app-3 hearing the write',
        async () =>
          (await received(0)) > (before[0] ?? 0) && (await received(2)) > (before[2] ?? 0),
        { timeoutMs: 5_000, intervalMs: 50 },
      );
      expect(await received(1)).toBe(before[1]);
      for (const i of [0, 1, 2]) expect((await readProfile(appUrl(i), 9)).version).toBe(version);
    } finally {
      await nativeDriver.removeToxic(lab, 'bus-app-2', 'cut');
    }
    // Back on the bus, app-2 catches up from the outbox and serves from its L1 again.
    await readProfile(appUrl(1), 7);
    await untilServedFrom(1, 7, 'HIT-L1');
    const heard = await received(1);
    expect((await patchProfile(appUrl(2), 10, { headline: 'bus back' })).status).toBe(200);
    await waitUntil('app-2 hearing the bus again', async () => (await received(1)) > heard, {
      timeoutMs: 5_000,
      intervalMs: 50,
    });
  }, 60_000);
});

describe('two-tier over a Redis Cluster under lan: a bus hop per app server and node', () => {
  labOf(overCluster);

  it('runs bus-app-N-redis-M for every server and node, and nothing bypasses them', async () => {
    await expectDerivedProxies(overCluster);
    expect([...network().ports.keys()].filter((n) => n.startsWith('bus-app-2-'))).toHaveLength(3);
    await expectNoBypass(overCluster);
  });

  it('cuts app-2 bus alone (all of its node proxies): the others still hear each write', async () => {
    const before = await Promise.all([0, 1, 2].map(received));
    await nativeDriver.applyToxic(lab, 'bus-app-2', CUT);
    try {
      for (const n of [1, 2, 3]) expect(await toxicsOf(`bus-app-2-redis-${n}`)).toContain('cut');
      expect(await toxicsOf('bus-app-1-redis-1')).not.toContain('cut');
      await readProfile(appUrl(1), 11);
      await untilServedFrom(1, 11, 'HIT-L2');
      const quiet = await received(1);
      expect((await patchProfile(appUrl(0), 12, { headline: 'cluster cut' })).status).toBe(200);
      await waitUntil(
        'app-3 hearing the write',
        async () => (await received(2)) > (before[2] ?? 0),
        { timeoutMs: 5_000, intervalMs: 50 },
      );
      expect(await received(1)).toBe(quiet);
    } finally {
      await nativeDriver.removeToxic(lab, 'bus-app-2', 'cut');
    }
    await readProfile(appUrl(1), 11);
    await untilServedFrom(1, 11, 'HIT-L1');
  }, 60_000);
});
