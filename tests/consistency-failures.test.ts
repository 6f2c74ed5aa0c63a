import { Cluster } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppServerHandle } from '../lab/run/processes/app-server.ts';
import { startInvalidator } from '../lab/run/processes/invalidator-process.ts';
import { parseClusterInfo } from '../lab/run/processes/redis-cluster-nodes.ts';
import { redisCommand } from '../lab/run/processes/resp.ts';
import { profileKey } from '../services/app/src/cache/keys.ts';
import { failoverRetryWindowMs } from '../services/app/src/cache/redis-cluster.ts';
import type { TwoTierCache } from '../services/app/src/cache/two-tier.ts';
import type { ConsistencyName } from '../services/app/src/config.ts';
import { recordInvalidation } from '../services/app/src/consistency/outbox-store.ts';
import {
  type AuditResult,
  createStalenessAudit,
} from '../services/app/src/consistency/staleness-audit.ts';
import {
  type Infra,
  idAllocator,
  type Layout,
  layoutEnv,
  startInfra,
  startTestServer,
  type TestServer,
  until,
} from './consistency-support.ts';

// Failures under each consistency mode: Redis killed and restarted during writes, a Cluster master
// failed over during writes, the invalidator killed mid-stream, a two-tier bus gap, and the audit.

let infra: Infra;
const nextId = idAllocator();
const servers: TestServer[] = [];
const invalidators: AppServerHandle[] = [];

beforeAll(async () => {
  infra = await startInfra('cachelab-consistency-failures');
});
// One outbox per database: an invalidator left from another test would apply rows to its own cache.
afterEach(async () => {
  await Promise.allSettled(invalidators.splice(0).map((invalidator) => invalidator.stop()));
});
afterAll(async () => {
  await Promise.allSettled(servers.map((server) => server.close()));
  await infra?.stop();
});

async function server(
  layout: Layout,
  mode: ConsistencyName,
  env: Record<string, string> = {},
  options: { busReconnectDelayMs?: number } = {},
) {
  const settings = { REDIS_COMMAND_TIMEOUT_MS: '300', ...env };
  const started = await startTestServer(infra, layout, mode, settings, options);
  servers.push(started);
  return started;
}

async function invalidator(layout: Layout, env: Record<string, string> = {}) {
  const started = await startInvalidator({
    runDir: infra.runDir,
    name: `invalidator-${invalidators.length + 1}`,
    env: {
      ...layoutEnv(infra, layout),
      DATABASE_URL: infra.pg.url,
      CONSISTENCY: 'outbox+lease',
      INVALIDATOR_POLL_MS: '100',
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  invalidators.push(started);
  return started;
}

/** Runs one statement on the suite's database. */
async function sql<R extends pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: infra.pg.url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Pending outbox rows. */
async function pendingRows(): Promise<number> {
  const rows = await sql<{ n: number }>(
    'SELECT count(*)::int AS n FROM cache_invalidations WHERE done_at IS NULL',
  );
  return rows[0]?.n ?? -1;
}

/** Whether outbox row `id` has been applied. */
async function applied(id: string): Promise<boolean> {
  const rows = await sql<{ done: boolean }>(
    'SELECT done_at IS NOT NULL AS done FROM cache_invalidations WHERE id = $1',
    [id],
  );
  return rows[0]?.done ?? false;
}

/** The version a read returned. */
function versionOf(body: Buffer | undefined): number {
  return Number(JSON.parse(body?.toString() ?? '{}').version);
}

describe('writes while Redis is killed, and after its restart', () => {
  it.each(['delete', 'outbox+lease'] as const)(
    '%s on two-tier: no stale read once Redis answers again',
    async (mode) => {
      const env = { INVALIDATION_CHANNEL: `kill:${mode}` };
      const [a, b] = [await server('two-tier', mode, env), await server('two-tier', mode, env)];
      if (mode === 'outbox+lease') await invalidator('two-tier', env);
      const [id, other] = [nextId(), nextId()];
      for (const key of [id, other]) {
        await a.read(key);
        await a.read(key);
      }
      expect((await a.read(id)).result).toBe('HIT-L1');
      await infra.redis.kill();
      await until('the bus noticed', () => !(a.cache as TwoTierCache).live);
      const written = await b.write(id, `during the kill ${mode}`);
      const during = await a.read(id);
      expect(versionOf(during.body)).toBe(written.version);
      await infra.redis.restart();
      await until('L1 back in use', () => (a.cache as TwoTierCache).live, 15_000);
      await until(
        'Redis answers again',
        async () => (await a.read(id)).result !== 'BYPASS',
        15_000,
      );
      if (mode === 'outbox+lease')
        await until('outbox drained', async () => (await pendingRows()) === 0);
      const after = await a.read(id);
      expect(versionOf(after.body)).toBe(written.version);
      // The outbox catch-up drops only what was written; without it the whole L1 was cleared.
      expect((await a.read(other)).result).toBe(mode === 'outbox+lease' ? 'HIT-L1' : 'MISS');
    },
  );
});

describe('two-tier bus drop and catch-up', () => {
  it.each(['delete', 'outbox'] as const)(
    '%s: a server that missed an invalidation',
    async (mode) => {
      const env = { INVALIDATION_CHANNEL: `gap:${mode}` };
      // A stays unsubscribed for 2 s after the drop, so the write surely falls in its gap.
      const a = await server('two-tier', mode, env, { busReconnectDelayMs: 2_000 });
      const b = await server('two-tier', mode, env);
      const [id, other] = [nextId(), nextId()];
      for (const key of [id, other]) {
        await a.read(key);
        await a.read(key);
      }
      const twoTier = a.cache as TwoTierCache;
      await redisCommand(infra.redis.port, ['CLIENT', 'KILL', 'TYPE', 'pubsub']);
      await until('the subscription dropped', () => !twoTier.bus.subscribed);
      const received = a.observer.invalidations.received;
      const written = await b.write(id, `in the gap ${mode}`);
      expect(twoTier.bus.subscribed).toBe(false);
      await until('resubscribed and caught up', () => twoTier.live);
      expect(a.observer.invalidations.received).toBe(received);
      expect(versionOf((await a.read(id)).body)).toBe(written.version);
      expect((await a.read(other)).result).toBe(mode === 'outbox' ? 'HIT-L1' : 'HIT-L2');
    },
  );
});

describe('the invalidator killed and restarted mid-stream', () => {
  it('loses no invalidation', async () => {
    const reader = await server('global', 'outbox');
    const ids = Array.from({ length: 120 }, () => nextId());
    for (const id of ids) await reader.read(id);
    const first = await invalidator('global');
    const client = new pg.Client({ connectionString: infra.pg.url });
    await client.connect();
    const latest = new Map<number, number>();
    try {
      for (const [index, id] of ids.entries()) {
        // Only the outbox row: the app's own immediate tombstone is skipped, so the invalidator alone must apply it.
        const updated = await reader.repository.updateProfile(
          id,
          { headline: `stream ${index}` },
          (tx, version) => recordInvalidation(tx, { key: profileKey(id), id, version }),
        );
        latest.set(id, updated?.version ?? -1);
        if (index === 40) await first.kill();
        if (index === 80) await invalidator('global');
      }
    } finally {
      await client.end();
    }
    await until('outbox drained', async () => (await pendingRows()) === 0, 20_000);
    for (const id of ids) {
      const versions = await reader.cachedVersions(id);
      expect(versions.every((version) => version >= (latest.get(id) ?? 0))).toBe(true);
    }
  });
});

describe('a Redis Cluster master failed over during writes', () => {
  /** The master owning a key's slot, as host:port. */
  async function masterOf(key: string): Promise<string> {
    const admin = new Cluster(
      infra.cluster.seeds.map((seed) => ({ host: '127.0.0.1', port: Number(seed.split(':')[1]) })),
    );
    try {
      await admin.ping();
      const slot = Number(await admin.call('CLUSTER', 'KEYSLOT', key));
      const owner = admin.slots[slot]?.[0];
      if (owner === undefined) throw new Error(`no owner for slot ${slot}`);
      return owner;
    } finally {
      admin.disconnect();
    }
  }

  it('the invalidator applies the keys on answering masters while another master is silent', async () => {
    await invalidator('global-cluster');
    const silentId = nextId();
    const silent = await masterOf(profileKey(silentId));
    let liveId = nextId();
    while ((await masterOf(profileKey(liveId))) === silent) liveId = nextId();
    const node = infra.cluster.nodes.find((n) => n.port === Number(silent.split(':')[1]));
    if (node === undefined) throw new Error(`no node at ${silent}`);
    const insert = (id: number) =>
      sql<{ id: string }>(
        'INSERT INTO cache_invalidations (cache_key, profile_id, version) VALUES ($1, $2, 1) RETURNING id',
        [profileKey(id), id],
      ).then((rows) => rows[0]?.id ?? '');
    // Frozen for well under cluster-node-timeout (2 s), so the cluster does not fail it over.
    process.kill(node.pid, 'SIGSTOP');
    let rows: string[] = [];
    try {
      rows = [await insert(silentId), await insert(liveId)];
      await until('the live key applied', () => applied(rows[1] ?? ''), 1_200);
      expect(await applied(rows[0] ?? '')).toBe(false);
    } finally {
      process.kill(node.pid, 'SIGCONT');
    }
    await until(
      'the silent key applied once its master answers',
      () => applied(rows[0] ?? ''),
      5_000,
    );
  });

  /** Port of the replica that follows the master on `masterPort`. */
  async function replicaOf(masterPort: number): Promise<number> {
    for (const node of infra.cluster.nodes) {
      if (node.port === masterPort) continue;
      const info = parseClusterInfo(await redisCommand(node.port, ['INFO', 'replication']));
      if (info.get('role') === 'slave' && Number(info.get('master_port')) === masterPort)
        return node.port;
    }
    throw new Error(`no replica follows 127.0.0.1:${masterPort}`);
  }

  it('delete leaves the old value on the promoted replica when its DEL gave up first; outbox+lease is fresh within 1 s of the cache answering', async () => {
    const mode = {
      d: await server('global-cluster', 'delete'),
      o: await server('global-cluster', 'outbox+lease'),
    };
    await invalidator('global-cluster');
    const deleteId = nextId();
    const master = await masterOf(profileKey(deleteId));
    let outboxId = nextId();
    while ((await masterOf(profileKey(outboxId))) !== master) outboxId = nextId();
    await mode.d.read(deleteId);
    await mode.o.read(outboxId);
    const port = Number(master.split(':')[1]);
    expect(Number(await redisCommand(port, ['WAIT', '1', '2000']))).toBe(1);
    const victim = infra.cluster.nodes.find((node) => node.port === port);
    const replica = await replicaOf(port);
    // The client retries a command until it outlives a failover; a promotion inside that window
    // sometimes lets delete's DEL land late. The promotion is held until the DEL has given up.
    await redisCommand(replica, ['CONFIG', 'SET', 'cluster-replica-no-failover', 'yes']);
    await victim?.kill();
    const writes = {
      d: await mode.d.write(deleteId, 'failover delete'),
      o: await mode.o.write(outboxId, 'failover outbox'),
    };
    expect(mode.d.events).toContain('invalidate_failed');
    await new Promise((resolve) => setTimeout(resolve, failoverRetryWindowMs() + 1_000));
    await redisCommand(replica, ['CONFIG', 'SET', 'cluster-replica-no-failover', 'no']);
    await infra.cluster.waitOk(30_000);
    // From the first read the cache answers, then for 2 s: any stale read after the first second fails the goal.
    const probe = async (reader: TestServer, id: number, version: number) => {
      await until(
        'the cache answers again',
        async () => (await reader.read(id)).result !== 'BYPASS',
        15_000,
      );
      const answered = performance.now();
      const late: number[] = [];
      const stale: number[] = [];
      for (let i = 0; i < 40 && performance.now() - answered < 2_000; i++) {
        const read = await reader.read(id);
        if (versionOf(read.body) < version)
          (performance.now() - answered > 1_000 ? late : stale).push(i);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return { late, stale };
    };
    const outbox = await probe(mode.o, outboxId, writes.o.version);

    const deleted = await probe(mode.d, deleteId, writes.d.version);
    expect(outbox.late).toEqual([]);
    expect(deleted.late.length).toBeGreaterThan(0);
  });
});

describe('the staleness audit', () => {
  it.each([
    ['delete', 1],
    ['outbox', 0],
  ] as const)('%s: counts %i confirmed stale entry after the fill race', async (mode, expected) => {
    const [a, b] = [await server('global', mode), await server('global', mode)];
    const id = nextId();
    const gate = a.holdNextLoad();
    const reading = a.read(id);
    await gate.loaded;
    await b.write(id, `audit ${mode}`);
    gate.release();
    await reading;
    // delete: the stale fill is served; outbox: the fill was refused, so this read fills the new version.
    await b.read(id);
    const results: AuditResult[] = [];
    const audit = createStalenessAudit({
      cache: a.cache,
      versions: (ids) => a.repository.loadVersions(ids),
      keyOf: profileKey,
      sample: 4,
      intervalMs: 60_000,
      observer: { checked: (_tier, result) => results.push(result), stale() {}, round() {} },
    });
    audit.noteRead(id);
    await audit.runRound();
    await audit.runRound();
    expect(results.filter((result) => result === 'stale')).toHaveLength(expected);
    expect(results).toContain(expected === 1 ? 'stale' : 'fresh');
  });
});
