import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lab/repo-root.ts';
import { startAppServer } from '../lab/run/processes/app-server.ts';
import { httpGet } from '../lab/run/processes/net-checks.ts';
import { startNginx } from '../lab/run/processes/nginx.ts';
import {
  CLUSTER_BUS_OFFSET,
  freePorts,
  isPortFree,
  waitPortFree,
} from '../lab/run/processes/ports.ts';
import { startPostgres } from '../lab/run/processes/postgres.ts';
import { NativeServiceError } from '../lab/run/processes/process-errors.ts';
import {
  isAlive,
  liveProcesses,
  processGroupMembers,
} from '../lab/run/processes/process-registry.ts';
import { startRedis, startRedisShards } from '../lab/run/processes/redis.ts';
import { type RedisCluster, startRedisCluster } from '../lab/run/processes/redis-cluster-nodes.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';

const FAKE_APP = join(REPO_ROOT, 'tests', 'fixtures', 'fake-app.ts');
let runDir = '';

beforeAll(async () => {
  runDir = await makeRunDir('cachelab-native-test');
});

afterAll(async () => {
  await removeRunDir(runDir);
});

/** Every pid (and its process group) is gone and every port can be bound again. */
async function expectReleased(pids: readonly number[], ports: readonly number[]): Promise<void> {
  for (const pid of pids) {
    expect(isAlive(pid)).toBe(false);
    expect(processGroupMembers(pid)).toEqual([]);
  }
  for (const port of ports) expect(await waitPortFree(port, 5_000)).toBe(true);
}

async function getJson(url: string): Promise<{ serverId: string }> {
  const res = await httpGet(url, 5_000);
  expect(res.status).toBe(200);
  return JSON.parse(res.body) as { serverId: string };
}

function nginxConfig(port: number, upstreams: readonly number[]): string {
  const servers = upstreams.map((p) => `server 127.0.0.1:${p};`).join(' ');
  return `worker_processes 1;
events { worker_connections 64; }
http {
  upstream app { ${servers} }
  server { listen 127.0.0.1:${port}; location / { proxy_pass http://app; } }
}
`;
}

describe('ports', () => {
  it('hands out distinct free ports whose bus port is free too', async () => {
    const ports = await freePorts(6, { withBusPort: true });
    expect(new Set(ports).size).toBe(6);
    for (const port of ports) {
      expect(await isPortFree(port)).toBe(true);
      expect(await isPortFree(port + CLUSTER_BUS_OFFSET)).toBe(true);
    }
  });
});

describe('postgres', () => {
  it('starts with role/db cachelab and pg_stat_statements, and stops cleanly', async () => {
    const server = await startPostgres({ runDir });
    const client = new pg.Client({ connectionString: server.url });
    try {
      await client.connect();
      const { rows } = await client.query(
        `SELECT current_user AS "user", current_database() AS db, current_setting('fsync') AS fsync,
                (SELECT count(*)::int FROM pg_extension WHERE extname = 'pg_stat_statements') AS ext`,
      );
      expect(rows[0]).toEqual({ user: 'cachelab', db: 'cachelab', fsync: 'off', ext: 1 });
      const admin = new pg.Client({ connectionString: server.adminUrl });
      await admin.connect();
      const stats = await admin.query('SELECT count(*)::int AS n FROM pg_stat_statements');
      expect(stats.rows[0].n).toBeGreaterThan(0);
      await admin.end();
    } finally {
      await client.end();
      await server.stop();
    }
    await expectReleased([server.pid], [server.port]);
  });
});

describe('redis', () => {
  it('serves SET/GET, restarts on the same port, and is gone after kill()', async () => {
    const node = await startRedis({ runDir });
    const client = new Redis(node.port, node.host, { maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await client.connect();
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      const firstPid = node.pid;
      await node.restart();
      expect(node.pid).not.toBe(firstPid);
      expect(isAlive(firstPid)).toBe(false);
      expect(await client.get('k')).toBeNull(); // no persistence; ioredis reconnected to the same port
    } finally {
      client.disconnect();
      await node.kill();
    }
    await expectReleased([node.pid], [node.port]);
  });

  it('fails fast with the log tail when the server dies during start', async () => {
    const start = startRedis({ runDir, extraConfig: { 'no-such-directive': 'x' } });
    await expect(start).rejects.toThrow(NativeServiceError);
    await expect(start).rejects.toThrow(/Bad directive|no-such-directive/);
  });

  it('starts independent shards, released by asyncDispose', async () => {
    let pids: number[] = [];
    let ports: number[] = [];
    {
      await using shards = await startRedisShards({ runDir, count: 3 });
      pids = shards.nodes.map((n) => n.pid);
      ports = shards.nodes.map((n) => n.port);
      expect(new Set(shards.addresses).size).toBe(3);
      for (const node of shards.nodes) {
        const client = new Redis(node.port, node.host, { lazyConnect: true });
        await client.connect();
        expect(await client.ping()).toBe('PONG');
        client.disconnect();
      }
    }
    await expectReleased(pids, ports);
  });
});

describe('redis cluster', () => {
  it('creates 3 masters + 3 replicas with all slots, spreads keys, and fails over', async () => {
    const cluster = await startRedisCluster({ runDir, masters: 3, replicasPerMaster: 1 });
    const nodes = cluster.seeds.map((s) => ({ host: '127.0.0.1', port: Number(s.split(':')[1]) }));
    const client = new Cluster(nodes, { lazyConnect: true });
    try {
      const masters = await cluster.masters();
      expect(masters).toHaveLength(3);
      await client.connect();
      const slots = (await client.cluster('SLOTS')) as [number, number, ...unknown[]][];
      expect(slots.reduce((sum, [from, to]) => sum + to - from + 1, 0)).toBe(16_384);
      for (let i = 0; i < 300; i++) await client.set(`key:${i}`, String(i));
      const sizes = await Promise.all(masters.map((m) => dbSize(Number(m.split(':')[1]))));
      expect(sizes.every((n) => n > 0)).toBe(true);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(300);
      await failOverAndRejoin(cluster, masters[0] ?? '');
    } finally {
      client.disconnect();
      await cluster.stop();
    }
    const ports = cluster.nodes.flatMap((n) => [n.port, n.port + CLUSTER_BUS_OFFSET]);
    await expectReleased(
      cluster.nodes.map((n) => n.pid),
      ports,
    );
  });
});

/** Kills a master, waits for its replica's promotion, then restarts it (it rejoins as a replica). */
async function failOverAndRejoin(cluster: RedisCluster, victimAddress: string): Promise<void> {
  const victim = cluster.nodes.find((n) => n.address === victimAddress);
  await victim?.kill();
  expect(victim?.running).toBe(false);
  await cluster.waitOk(20_000);
  const after = await cluster.masters();
  expect(after).toHaveLength(3);
  expect(after).not.toContain(victimAddress);
  await victim?.restart();
  await cluster.waitOk(20_000);
  expect(await cluster.masters()).toEqual(after);
}

async function dbSize(port: number): Promise<number> {
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true });
  await client.connect();
  try {
    return await client.dbsize();
  } finally {
    client.disconnect();
  }
}

describe('nginx and app servers', () => {
  it('proxies round-robin to two app servers, reloads, and releases everything', async () => {
    const apps = await Promise.all(
      ['fake-1', 'fake-2'].map((name) =>
        startAppServer({ runDir, name, env: {}, entry: FAKE_APP }),
      ),
    );
    const [port = 0] = await freePorts(1);
    const nginx = await startNginx({
      runDir,
      port,
      config: nginxConfig(
        port,
        apps.map((a) => a.port),
      ),
    });
    try {
      const ids = new Set<string>();
      for (let i = 0; i < 4; i++) ids.add((await getJson(`${nginx.url}/x`)).serverId);
      expect(ids).toEqual(new Set(['fake-1', 'fake-2']));
      await nginx.reload(nginxConfig(port, [apps[0]?.port ?? 0]));
      for (let i = 0; i < 4; i++) expect((await getJson(`${nginx.url}/x`)).serverId).toBe('fake-1');
    } finally {
      await nginx.stop();
      await apps[0]?.stop();
      await apps[1]?.kill();
    }
    await expectReleased(
      [nginx.pid, ...apps.map((a) => a.pid)],
      [port, ...apps.map((a) => a.port)],
    );
  });
});

describe('registry', () => {
  it('tracks no process once every handle was stopped', () => {
    expect(liveProcesses()).toEqual([]);
  });
});
