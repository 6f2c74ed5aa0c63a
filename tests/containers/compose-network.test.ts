import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { beforeAll, expect, it } from 'vitest';
import { FIRST_ADDED_PROXY_PORT } from '../../lab/run/driver/compose/app-proxies.ts';
import { createComposeDriver } from '../../lab/run/driver/compose/driver.ts';
import { faultProxyUrl } from '../../lab/run/driver/compose/network-setup.ts';
import { listenPort } from '../../lab/run/processes/fault-proxy-api.ts';
import { getTopology } from '../../lab/topology/catalog.ts';
import { withNetwork } from '../../lab/topology/network-proxies.ts';
import { describeWithDocker, dockerOk } from '../docker/docker-cli.ts';
import {
  composeLabHooks,
  containerIps,
  downLeavesNothing,
  probeCompose,
} from './compose-support.ts';
import { read } from './support.ts';

// global-cluster through the compose driver behind the fault proxy (offline images here: the lab's own
// proxy). nginx→app gets a large override so its added latency stands out of any scheduling noise.
const probe = await probeCompose();

const NGINX_APP_MS = 40;
const topology = withNetwork(getTopology('global-cluster'), {
  profile: 'same-az',
  hops: { 'nginx-app': { rttMs: NGINX_APP_MS, jitterMs: 0 } },
});

let redisPassword = '';

interface Proxy {
  listen: string;
  upstream: string;
  toxics: { attributes: { latency: number } }[];
}

/** The service whose container made the CLIENT LIST line `line`. */
function serviceAt(ips: Map<string, string>, line: string): string {
  const ip = /addr=([\d.]+):/.exec(line)?.[1];
  return [...ips].find(([, at]) => at === ip)?.[0] ?? 'unknown';
}

/** A connected client of one node at its published address (the caller disconnects it). */
async function nodeAt(address: string): Promise<Redis> {
  const [, port] = address.split(':');
  const node = new Redis({ port: Number(port), password: redisPassword, lazyConnect: true });
  await node.connect();
  return node;
}

async function msOf(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  await res.arrayBuffer();
  expect(res.status).toBe(200);
  return performance.now() - started;
}

describeWithDocker('compose driver behind the fault proxy: global-cluster', probe, () => {
  const prefix = `cachelab-net-${process.pid}`;
  const suite = composeLabHooks(probe, topology, prefix);
  beforeAll(() => {
    redisPassword = suite.redisPassword();
  });

  it('serves through nginx, the fault proxy and the cluster, and records the profile', async () => {
    const current = suite.lab();
    expect(current.state.network).toBe('same-az');
    // Right after up the first database connection through the proxy can exceed the app's 1 s
    // connect timeout on this loaded box (a 503 DATABASE_UNAVAILABLE): poll, bounded, for the first 200.
    const deadline = Date.now() + 20_000;
    let first = await read(current.url, 7);
    while (first.status !== 200 && Date.now() < deadline) first = await read(current.url, 7);
    expect(first.status).toBe(200);
    // From then on every read is served: distinct keys, each a miss through Postgres and the cluster.
    const statuses = [];
    for (let id = 20; id < 40; id++) statuses.push((await read(current.url, id)).status);
    expect(
      statuses.every((s) => s === 200),
      statuses.join(),
    ).toBe(true);
    const second = await read(current.url, 7);
    expect(second.status).toBe(200);
    expect(['HIT-L2', 'HIT-L1']).toContain(second.cache);
  });

  it('configured a latency toxic on every proxy, and nginx→app pays it', async () => {
    const current = suite.lab();
    const res = await fetch(`${await faultProxyUrl(current.project.name)}/proxies`);
    const proxies = (await res.json()) as Record<
      string,
      { toxics: { attributes: { latency: number } }[] }
    >;
    expect(Object.keys(proxies).sort()).toEqual(
      [
        'app-1',
        'app-2',
        'app-3',
        'postgres',
        'overhead-probe',
        ...[1, 2, 3, 4, 5, 6].map((i) => `redis-${i}`),
      ].sort(),
    );
    // Every toxic is the hop's round trip less the proxy's own, measured once at up.
    const appLatency = proxies['app-1']?.toxics.map((t) => t.attributes.latency) ?? [];
    expect(appLatency).toHaveLength(1);
    const overheadMs = NGINX_APP_MS - (appLatency[0] ?? 0);
    expect(overheadMs).toBeGreaterThanOrEqual(0);
    expect(overheadMs).toBeLessThan(0.5);
    const redisLatency = proxies['redis-1']?.toxics.map((t) => t.attributes.latency) ?? [];
    expect(redisLatency).toHaveLength(1);
    expect(redisLatency[0]).toBeCloseTo(Math.max(0, 0.5 - overheadMs), 3);
    expect(proxies['overhead-probe']?.toxics).toEqual([]);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push(await msOf(`${current.url}/healthz`));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(NGINX_APP_MS);
  });

  it('the cluster replicates directly, and no app connects to Redis around its proxy', async () => {
    const current = suite.lab();
    const ips = await containerIps(current.project.name);
    const appIps = [...ips].filter(([s]) => /^app-\d+$|^invalidator$/.test(s)).map(([, ip]) => ip);
    expect(appIps.length).toBeGreaterThanOrEqual(3);
    const proxied: string[] = [];
    const links: string[] = [];
    for (const address of current.state.redis.nodes ?? []) {
      const node = await nodeAt(address);
      try {
        // The nodes announce their own names (replicas follow them); apps map each to its proxy.
        const slots = JSON.stringify(await node.call('CLUSTER', 'SLOTS'));
        expect(slots).toMatch(/"redis-\d+"/);
        expect(slots).not.toContain('"fault-proxy"');
        const replication = String(await node.call('INFO', 'replication'));
        if (/role:slave/.test(replication))
          links.push(/master_link_status:(\w+)/.exec(replication)?.[1] ?? '');
        const clients = String(await node.call('CLIENT', 'LIST'));
        const from = [...clients.matchAll(/addr=([\d.]+):/g)].map((m) => m[1]);
        const around = clients
          .split('\n')
          .filter((l) => appIps.some((ip) => l.includes(`addr=${ip}:`)));
        expect(around.map((l) => `${serviceAt(ips, l)} ${l}`)).toEqual([]);
        proxied.push(...from.filter((ip) => ip === ips.get('fault-proxy')).map(String));
      } finally {
        node.disconnect();
      }
    }
    expect(links).toEqual(['up', 'up', 'up']);
    expect(proxied.length).toBeGreaterThan(0);
  });

  it('applies and removes a scenario toxic on one hop through the driver', async () => {
    const current = suite.lab();
    const driver = createComposeDriver({ projectPrefix: prefix });
    const toxic = {
      name: 'scenario-slow',
      type: 'latency',
      attributes: { latency: 30, jitter: 0 },
    };
    const applied = await driver.applyToxic(current, 'app-postgres', toxic);
    expect(applied.detail).toContain('postgres');
    const url = `${await faultProxyUrl(current.project.name)}/proxies/postgres/toxics`;
    const names = async () =>
      ((await (await fetch(url)).json()) as { name: string }[]).map((t) => t.name).sort();
    expect(await names()).toEqual(['latency_downstream', 'scenario-slow']);
    await driver.removeToxic(current, 'app-postgres', 'scenario-slow');
    expect(await names()).toEqual(['latency_downstream']);
  });

  it('adds an app server behind its own proxy that nginx uses, and removes both', async () => {
    const current = suite.lab();
    const driver = createComposeDriver({ projectPrefix: prefix });
    const proxiesUrl = `${await faultProxyUrl(current.project.name)}/proxies`;
    const proxies = async () => (await (await fetch(proxiesUrl)).json()) as Record<string, Proxy>;
    const added = await driver.addAppServer(current);
    expect(added.service).toBe('app-4');
    const before = await proxies();
    const own = before['app-4'];
    expect(own?.upstream).toBe('app-4:3000');
    const port = listenPort(own?.listen ?? '');
    expect(port).toBeGreaterThanOrEqual(FIRST_ADDED_PROXY_PORT);
    // Its toxic is the hop's, compensated as at up: the same as app-1's.
    expect(own?.toxics.map((t) => t.attributes.latency)).toEqual(
      before['app-1']?.toxics.map((t) => t.attributes.latency),
    );
    const conf = await readFile(join(suite.runDir(), 'nginx.conf'), 'utf8');
    expect(conf).toContain(`fault-proxy:${port}`);
    expect(conf).not.toMatch(/app-\d+:3000/);
    // Its Redis and Postgres connections go through the shared proxies, not around them.
    const id = (
      await dockerOk([
        ...['ps', '-q', '--filter', `label=com.docker.compose.project=${current.project.name}`],
        ...['--filter', 'label=com.docker.compose.service=app-4'],
      ])
    ).trim();
    const env = await dockerOk(['inspect', '--format', '{{json .Config.Env}}', id]);
    expect(env).toMatch(/REDIS_NODES=fault-proxy:\d+(,fault-proxy:\d+){5}"/);
    expect(env).toMatch(/DATABASE_URL=postgres[^"]*@fault-proxy:\d+\//);
    const timed = [];
    for (let key = 60; key < 84; key++) {
      const started = performance.now();
      const r = await read(current.url, key);
      timed.push({ ...r, ms: performance.now() - started });
    }
    expect(timed.map((r) => r.status).every((s) => s === 200)).toBe(true);
    const viaNew = timed.filter((r) => r.servedBy === 'app-4');
    expect(viaNew.length).toBeGreaterThan(0);
    // Through its proxy, nginx→app-4 pays the hop's latency like every other server.
    expect(Math.min(...viaNew.map((r) => r.ms))).toBeGreaterThanOrEqual(NGINX_APP_MS - 1);

    // A hop's toxic reaches the new server's proxy too.
    const slow = { name: 'scenario-slow', type: 'latency', attributes: { latency: 5, jitter: 0 } };
    expect((await driver.applyToxic(current, 'nginx-app', slow)).detail).toContain('app-4');
    await driver.removeToxic(current, 'nginx-app', 'scenario-slow');
    expect((await proxies())['app-4']?.toxics).toHaveLength(own?.toxics.length ?? 0);

    const removed = await driver.removeAppServer(current, 'app-4');
    expect(removed.detail).toContain('app-4');
    expect(Object.keys(await proxies())).not.toContain('app-4');
    const state = (await driver.services(current)).find((s) => s.name === 'app-4');
    expect(state).toMatchObject({ up: false, inRotation: false });
    const after = [];
    for (let key = 60; key < 72; key++) after.push(await read(current.url, key));
    expect(after.every((r) => r.status === 200 && r.servedBy !== 'app-4')).toBe(true);
    // A hop's toxic skips the removed server, whose proxy is gone.
    expect((await driver.applyToxic(current, 'nginx-app', slow)).detail).not.toContain('app-4');
    await driver.removeToxic(current, 'nginx-app', 'scenario-slow');

    // It comes back on the same proxy port, its proxy recreated.
    expect((await driver.addAppServer(current)).service).toBe('app-4');
    expect((await proxies())['app-4']?.listen).toBe(own?.listen);
    const back = [];
    for (let key = 60; key < 72; key++) back.push(await read(current.url, key));
    expect(back.every((r) => r.status === 200)).toBe(true);
    expect(back.some((r) => r.servedBy === 'app-4')).toBe(true);
    await driver.removeAppServer(current, 'app-4');
    expect(Object.keys(await proxies())).not.toContain('app-4');
  });

  it('fails a master over under the profile: a Redis node is killed, its replica takes over through the proxies', async () => {
    const current = suite.lab();
    const driver = createComposeDriver({ projectPrefix: prefix });
    const killed = await driver.failoverRedisMaster(current, 'kill', { nodeTimeoutMs: 2_000 });
    expect(killed.service).toMatch(/^redis-\d$/);
    expect(killed.detail).toContain('docker kill');
    const states = await driver.services(current);
    expect(states.find((s) => s.name === killed.service)?.up).toBe(false);
    // The fault proxy and every other node stay up: only the master was hit.
    const ips = await containerIps(current.project.name);
    expect(ips.has('fault-proxy')).toBe(true);
    expect(states.filter((s) => s.role === 'redis' && !s.up).map((s) => s.name)).toEqual([
      killed.service,
    ]);
    // The promoted replica answers through its proxy: every read is a cache result again (no BYPASS).
    const served = async () => {
      const reads = [];
      for (let id = 100; id < 130; id++) reads.push(await read(current.url, id));
      return reads.every((r) => r.status === 200 && r.cache !== 'BYPASS');
    };
    await expect.poll(served, { timeout: 30_000, interval: 500 }).toBe(true);
    await driver.restart(current, killed.service);
    // The old master comes back as a replica of the promoted one and catches up directly.
    const rejoined = async () => {
      const address = current.state.redis.nodes?.[Number(killed.service.split('-')[1]) - 1] ?? '';
      const node = await nodeAt(address);
      try {
        const replication = String(await node.call('INFO', 'replication'));
        return /role:slave/.test(replication) && /master_link_status:up/.test(replication);
      } finally {
        node.disconnect();
      }
    };
    await expect.poll(rejoined, { timeout: 30_000, interval: 500 }).toBe(true);
  });

  it('down leaves no container, network or volume behind', () => downLeavesNothing(suite.lab()));
});
