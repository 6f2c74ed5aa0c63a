import { createHash } from 'node:crypto';
import calculateSlot from 'cluster-key-slot';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RedisNode,
  type RedisShards,
  startRedis,
  startRedisShards,
} from '../lab/run/processes/redis.ts';
import { type RedisCluster, startRedisCluster } from '../lab/run/processes/redis-cluster-nodes.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import type { CacheStrategy } from '../services/app/src/cache/cache-types.ts';
import { createCache } from '../services/app/src/cache/create-cache.ts';
import {
  createRecordingObserver,
  type RecordingObserver,
} from '../services/app/src/cache/recording-observer.ts';
import type { RedisClusterCache } from '../services/app/src/cache/redis-cluster.ts';
import { createShardedRedisCache } from '../services/app/src/cache/redis-sharded.ts';
import { loadConfig } from '../services/app/src/config.ts';
import {
  createReadThrough,
  type ReadResult,
  type ReadThrough,
} from '../services/app/src/consistency/read-through.ts';
import { createLogger } from '../services/app/src/logger.ts';

/** Every read must answer within this, whatever Redis is doing. */
const READ_BOUND_MS = 1_000;
/** How long a restarted Redis / a promoted replica may take to serve hits again. */
const RECOVERY_BOUND_MS = 20_000;
const TIMEOUTS = { REDIS_COMMAND_TIMEOUT_MS: '200', REDIS_CONNECT_TIMEOUT_MS: '500' };
const logger = createLogger({ level: 'silent', serverId: 'failure-test' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = async () => Buffer.from('{"from":"db"}');

let runDir = '';
beforeAll(async () => {
  runDir = await makeRunDir('cachelab-cache-failure');
});
afterAll(async () => {
  await removeRunDir(runDir);
});

/** A strategy built from config, with its read path and what its observer saw. */
interface Subject {
  cache: CacheStrategy;
  reader: ReadThrough;
  observer: RecordingObserver;
}

async function subject(env: Record<string, string>): Promise<Subject> {
  const observer = createRecordingObserver();
  const cache = await createCache(loadConfig({ ...TIMEOUTS, ...env }), { observer, logger });
  return { cache, observer, reader: createReadThrough({ cache, ttlMs: 60_000, jitter: 0.1 }) };
}

/** One read, asserting it answered the loaded or cached bytes within READ_BOUND_MS. */
async function boundedRead(reader: ReadThrough, key: string): Promise<ReadResult> {
  const started = performance.now();
  const read = await reader.read(key, load);
  expect(performance.now() - started).toBeLessThan(READ_BOUND_MS);
  expect(read.body?.toString()).toBe('{"from":"db"}');
  return read;
}

/** Reads until the cache answers a hit again (bounded in time and count); returns how long it took. */
async function untilHit(reader: ReadThrough, key: string): Promise<number> {
  const started = performance.now();
  for (
    let attempt = 0;
    attempt < 200 && performance.now() - started < RECOVERY_BOUND_MS;
    attempt++
  ) {
    const { result } = await boundedRead(reader, key);
    if (result === 'HIT-L1' || result === 'HIT-L2') return performance.now() - started;
    await sleep(100);
  }
  throw new Error(`${key}: no cache hit within ${RECOVERY_BOUND_MS} ms`);
}

describe.each([
  { mode: 'global', hit: 'HIT-L2' },
  { mode: 'two-tier', hit: 'HIT-L1' },
])('$mode when its Redis fails', ({ mode, hit }) => {
  let redis: RedisNode;
  let s: Subject;
  beforeAll(async () => {
    redis = await startRedis({ runDir });
    s = await subject({ CACHE_MODE: mode, REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await s.cache.close();
    await redis.stop();
  });

  it('answers from the loader when Redis is SIGKILLed, and hits again after a restart', async () => {
    await boundedRead(s.reader, 'profile:1');
    expect((await boundedRead(s.reader, 'profile:1')).result).toBe(hit);
    await redis.kill();
    expect((await boundedRead(s.reader, 'profile:2')).result).toBe('BYPASS');
    expect(s.observer.errors.length).toBeGreaterThan(0);
    await redis.restart();
    const ms = await untilHit(s.reader, 'profile:3');
    console.info(`${mode}: hits again ${Math.round(ms)} ms after the Redis restart`);
  });

  it('answers from the loader within the bound when Redis is paused (SIGSTOP)', async () => {
    const errorsBefore = s.observer.errors.length;
    process.kill(redis.pid, 'SIGSTOP');
    try {
      for (const id of [10, 11, 12]) {
        expect((await boundedRead(s.reader, `profile:${id}`)).result).toBe('BYPASS');
      }
      expect(s.observer.operations.some((o) => o.result === 'timeout')).toBe(true);
      expect(s.observer.errors.length).toBeGreaterThan(errorsBefore);
    } finally {
      process.kill(redis.pid, 'SIGCONT');
    }
    await untilHit(s.reader, 'profile:13');
  });
});

describe('global-cluster when a master dies', () => {
  let cluster: RedisCluster;
  let s: Subject;
  beforeAll(async () => {
    // No diskless-sync delay: replicas get their first copy at once, so a failover is possible.
    const extraConfig = { 'repl-diskless-sync-delay': 0 };
    cluster = await startRedisCluster({ runDir, nodeTimeoutMs: 2_000, extraConfig });
    await replicasInSync(cluster);
    s = await subject({ CACHE_MODE: 'global-cluster', REDIS_NODES: cluster.seeds.join(',') });
  });
  afterAll(async () => {
    await s.cache.close();
    await cluster.stop();
  });

  it('a silent master costs only its own keys: keys on the other masters keep hitting', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `profile:${200 + i}`);
    for (const key of keys) await boundedRead(s.reader, key);
    const { client } = s.cache as RedisClusterCache;
    const ownerOf = (key: string) => client.slots[calculateSlot(key)]?.[0];
    const [silent] = await cluster.masters();
    const node = cluster.nodes.find((n) => n.address === silent);
    if (node === undefined) throw new Error(`no node at ${silent}`);
    const first = keys.find((key) => ownerOf(key) === silent);
    const others = keys.filter((key) => ownerOf(key) !== silent);
    expect(first).toBeDefined();
    expect(others.length).toBeGreaterThan(10);
    // Frozen for well under cluster-node-timeout (2 s): one command timeout, then the other keys.
    process.kill(node.pid, 'SIGSTOP');
    const results: ReadResult[] = [];
    try {
      expect((await boundedRead(s.reader, first ?? '')).result).not.toBe('HIT-L2');
      for (const key of others) results.push(await boundedRead(s.reader, key));
    } finally {
      process.kill(node.pid, 'SIGCONT');
    }
    expect(results.map((r) => r.result)).toEqual(others.map(() => 'HIT-L2'));
    for (const key of keys) await untilHit(s.reader, key);
  });

  it('every read stays bounded through the failover, and all keys hit again after it', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `profile:${100 + i}`);
    for (const key of keys) await boundedRead(s.reader, key);
    const [victim] = await cluster.masters();
    await cluster.nodes.find((node) => node.address === victim)?.kill();
    const started = performance.now();
    let recovered = false;
    for (let round = 0; round < 100 && !recovered; round++) {
      const results = await Promise.all(keys.map((key) => boundedRead(s.reader, key)));
      recovered = results.every((r) => r.result === 'HIT-L2');
      if (performance.now() - started > RECOVERY_BOUND_MS) break;
      if (!recovered) await sleep(200);
    }
    expect(recovered).toBe(true);
    expect(s.observer.errors.length).toBeGreaterThan(0);
    console.info(
      `global-cluster: all keys hit again ${Math.round(performance.now() - started)} ms after the master died`,
    );
  });
});

describe('global-sharded', () => {
  let shards: RedisShards;
  beforeAll(async () => {
    shards = await startRedisShards({ runDir, count: 3 });
  });
  afterAll(async () => {
    await shards.stop();
  });

  it('spreads keys over all 3 shards, each key stored on the node the ring names', async () => {
    const observer = createRecordingObserver();
    const cache = await createShardedRedisCache({
      nodes: shards.addresses,
      commandTimeoutMs: 1_000,
      connectTimeoutMs: 1_000,
      observer,
    });
    try {
      const keys = Array.from({ length: 300 }, (_, i) => `profile:${i}`);
      for (const key of keys) await cache.set(key, Buffer.from(key), 60_000);
      for (const node of shards.nodes) {
        const owned = keys.filter((key) => cache.nodeFor(key) === node.address);
        expect(owned.length).toBeGreaterThan(300 * 0.15);
        await using direct = await connect(node.url);
        expect(await direct.client.dbsize()).toBe(owned.length);
        expect((await direct.client.get(owned[0] ?? ''))?.toString()).toBe(owned[0]);
      }
    } finally {
      await cache.close();
    }
  });

  it('is ketama-compatible: two instances (any node order) and libketama agree on every key', async () => {
    const options = {
      commandTimeoutMs: 1_000,
      connectTimeoutMs: 1_000,
      observer: createRecordingObserver(),
    };
    const a = await createShardedRedisCache({ ...options, nodes: shards.addresses });
    const b = await createShardedRedisCache({ ...options, nodes: [...shards.addresses].reverse() });
    try {
      const reference = ketamaReference(shards.addresses);
      for (let i = 0; i < 5_000; i++) {
        const key = `profile:${i}`;
        expect(b.nodeFor(key)).toBe(a.nodeFor(key));
        expect(a.nodeFor(key)).toBe(reference(key));
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

/** Waits (bounded) until every replica reports master_link_status:up: only those can fail over. */
async function replicasInSync(cluster: RedisCluster): Promise<void> {
  const masters = new Set(await cluster.masters());
  const replicas = cluster.nodes.filter((node) => !masters.has(node.address));
  for (const node of replicas) {
    await using direct = await connect(node.url);
    let synced = false;
    for (let attempt = 0; attempt < 150 && !synced; attempt++) {
      synced = (await direct.client.info('replication')).includes('master_link_status:up');
      if (!synced) await sleep(100);
    }
    if (!synced) throw new Error(`replica ${node.address} did not sync within 15 s`);
  }
}

async function connect(url: string) {
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  return { client, [Symbol.asyncDispose]: async () => void (await client.quit()) };
}

/**
 * libketama's continuum, written out independently: per server 40 md5 digests of "host:port-i",
 * 4 little-endian 32-bit points each; a key goes to the first point >= md5(key)[0..4], wrapping.
 */
function ketamaReference(servers: string[]): (key: string) => string {
  const md5 = (text: string) => createHash('md5').update(text).digest();
  const points = servers.flatMap((server) =>
    Array.from({ length: 40 }, (_, i) => md5(`${server}-${i}`)).flatMap((digest) =>
      [0, 1, 2, 3].map((h) => ({ point: digest.readUInt32LE(h * 4), server })),
    ),
  );
  points.sort((x, y) => x.point - y.point);
  return (key) => {
    const hash = md5(key).readUInt32LE(0);
    return (points.find((p) => p.point >= hash) ?? points[0])?.server ?? '';
  };
}
