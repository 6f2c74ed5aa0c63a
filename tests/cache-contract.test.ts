import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, startRedisShards } from '../lab/run/processes/redis.ts';
import { startRedisCluster } from '../lab/run/processes/redis-cluster-nodes.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import type { CacheStrategy, CacheTier } from '../services/app/src/cache/cache-types.ts';
import { createCache } from '../services/app/src/cache/create-cache.ts';
import {
  createRecordingObserver,
  type RecordingObserver,
} from '../services/app/src/cache/recording-observer.ts';
import { loadConfig } from '../services/app/src/config.ts';
import { createLogger } from '../services/app/src/logger.ts';

/** Addresses of the Redis processes this suite starts once for every strategy. */
interface Infra {
  runDir: string;
  redisUrl: string;
  clusterSeeds: string;
  shardAddresses: string;
}

interface StrategyCase {
  label: string;
  mode: string;
  env(infra: Infra): Record<string, string>;
  /** Tier a get right after a set on the same instance answers from. */
  tier: CacheTier;
  /** A value set on one instance is visible to another (a shared tier). */
  shared: boolean;
}

const CASES: StrategyCase[] = [
  { label: 'local', mode: 'local', env: () => ({}), tier: 'l1', shared: false },
  {
    label: 'local-disk',
    mode: 'local-disk',
    env: (infra) => ({ DISK_CACHE_PATH: join(infra.runDir, 'disk-cache') }),
    tier: 'l1',
    shared: false,
  },
  {
    label: 'global',
    mode: 'global',
    env: (infra) => ({ REDIS_URL: infra.redisUrl }),
    tier: 'l2',
    shared: true,
  },
  {
    label: 'global-cluster',
    mode: 'global-cluster',
    env: (infra) => ({ REDIS_NODES: infra.clusterSeeds }),
    tier: 'l2',
    shared: true,
  },
  {
    label: 'global-sharded',
    mode: 'global-sharded',
    env: (infra) => ({ REDIS_NODES: infra.shardAddresses }),
    tier: 'l2',
    shared: true,
  },
  {
    label: 'two-tier over single Redis',
    mode: 'two-tier',
    env: (infra) => ({ REDIS_URL: infra.redisUrl }),
    tier: 'l1',
    shared: true,
  },
  {
    label: 'two-tier over Redis Cluster',
    mode: 'two-tier',
    env: (infra) => ({ REDIS_NODES: infra.clusterSeeds, L2_CLUSTER: 'true' }),
    tier: 'l1',
    shared: true,
  },
];

const logger = createLogger({ level: 'silent', serverId: 'contract' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Random bytes a cache may store: a leading NUL byte is reserved (lease and tombstone markers). */
const storableBytes = (length: number): Buffer =>
  Buffer.concat([Buffer.from([0xff]), randomBytes(length - 1)]);
const stops: (() => Promise<void>)[] = [];
let infra: Infra;

beforeAll(async () => {
  const runDir = await makeRunDir('cachelab-cache-contract');
  stops.push(() => removeRunDir(runDir));
  const [redis, cluster, shards] = await Promise.all([
    startRedis({ runDir }),
    startRedisCluster({ runDir }),
    startRedisShards({ runDir, count: 3 }),
  ]);
  stops.push(redis.stop, cluster.stop, shards.stop);
  infra = {
    runDir,
    redisUrl: redis.url,
    clusterSeeds: cluster.seeds.join(','),
    shardAddresses: shards.addresses.join(','),
  };
});

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

async function build(
  mode: string,
  env: Record<string, string>,
  observer: RecordingObserver,
): Promise<CacheStrategy> {
  // A generous command timeout: this suite checks behaviour, not latency, on a shared 2-core box.
  const base = { CACHE_MODE: mode, LOG_LEVEL: 'silent', REDIS_COMMAND_TIMEOUT_MS: '1000' };
  const config = loadConfig({ ...base, ...env });
  return createCache(config, { observer, logger });
}

describe.each(CASES)('cache contract: $label', ({ label, mode, env, tier, shared }) => {
  const observer = createRecordingObserver();
  let cache: CacheStrategy;
  const key = (name: string) => `contract:${label}:${name}`;

  beforeAll(async () => {
    cache = await build(mode, env(infra), observer);
  });
  afterAll(async () => {
    await cache.close();
  });

  it('get after set returns the same bytes, from the expected tier', async () => {
    await cache.set(key('a'), Buffer.from('{"v":1}'), 60_000);
    const hit = await cache.get(key('a'));
    expect(hit?.value.toString()).toBe('{"v":1}');
    expect(hit?.tier).toBe(tier);
  });

  it('misses an unknown key', async () => {
    expect(await cache.get(key('never-set'))).toBeUndefined();
  });

  it('invalidate removes the key', async () => {
    await cache.set(key('b'), Buffer.from('x'), 60_000);
    await cache.invalidate(key('b'));
    expect(await cache.get(key('b'))).toBeUndefined();
  });

  it('expires an entry after its TTL', async () => {
    await cache.set(key('ttl'), Buffer.from('short-lived'), 150);
    expect(await cache.get(key('ttl'))).toBeDefined();
    await sleep(300);
    expect(await cache.get(key('ttl'))).toBeUndefined();
  });

  it('round-trips a large binary value byte-exact', async () => {
    const value = storableBytes(256 * 1024);
    await cache.set(key('large'), value, 60_000);
    expect((await cache.get(key('large')))?.value.equals(value)).toBe(true);
  });

  // Only shared tiers have this property; local tiers are registered without the case.
  if (shared) {
    it('refuses a value that begins with a NUL byte, saying why', async () => {
      const reserved = Buffer.from([0, 0x4c, 0x31]);
      await expect(cache.set(key('nul'), reserved, 60_000)).rejects.toThrow(/NUL byte/);
      expect(await cache.get(key('nul'))).toBeUndefined();
    });

    it('a second server sees the value through the shared tier', async () => {
      const value = storableBytes(70 * 1024);
      await cache.set(key('shared'), value, 60_000);
      const other = await build(mode, env(infra), observer);
      try {
        const hit = await other.get(key('shared'));
        expect(hit?.tier).toBe('l2');
        expect(hit?.value.equals(value)).toBe(true);
      } finally {
        await other.close();
      }
    });
  }

  it('answers ping and saw no backend errors', async () => {
    await cache.ping();
    expect(observer.errors).toEqual([]);
  });

  it('close is idempotent', async () => {
    await cache.close();
    await cache.close();
  });
});

describe('cache contract: none', () => {
  it('stores nothing, answers every get with a miss, and closes twice', async () => {
    const cache = await build('none', {}, createRecordingObserver());
    expect(cache.passthrough).toBe(true);
    await cache.set('k', Buffer.from('v'), 60_000);
    expect(await cache.get('k')).toBeUndefined();
    await cache.invalidate('k');
    await cache.ping();
    expect(cache.localStats()).toBeUndefined();
    await cache.close();
    await cache.close();
  });
});
