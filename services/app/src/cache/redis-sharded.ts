import HashRing from 'hashring';
import { Redis } from 'ioredis';
import { CacheError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { CacheObserver, SharedOps, SharedTierStrategy } from './cache-types.ts';
import {
  connectWithin,
  failFastOptions,
  parseAddress,
  type RedisTimeouts,
  watchErrors,
} from './redis-connection.ts';
import { GRACE_SUFFIX } from './redis-shared-ops.ts';
import { type RedisBackedCache, redisStrategy } from './redis-strategy.ts';

/** Options of the client-side sharded strategy. */
export interface ShardedRedisCacheOptions extends RedisTimeouts {
  /** Independent Redis nodes as host:port; their ring positions depend only on these strings. */
  nodes: string[];
  observer: CacheObserver;
  logger?: Logger | undefined;
}

/** N independent Redis nodes behind a ketama ring; `nodeFor` tells which node owns a key. */
export interface ShardedRedisCache extends SharedTierStrategy {
  nodeFor(key: string): string;
}

const NAME = 'global-sharded';

/**
 * Creates the `global-sharded` strategy: one ioredis client per node and client-side consistent
 * hashing (hashring, ketama-compatible), so every server maps a key to the same node and adding a
 * node moves ~1/(N+1) of the keys. A down node is not routed around: its keys fail fast.
 */
export async function createShardedRedisCache(
  options: ShardedRedisCacheOptions,
): Promise<ShardedRedisCache> {
  if (options.nodes.length === 0) throw new CacheError(`${NAME}: no nodes configured`);
  const ring = new HashRing(options.nodes);
  const shards = new Map<string, RedisBackedCache<Redis>>();
  await Promise.all(
    options.nodes.map(async (node) => shards.set(node, await connectShard(node, options))),
  );
  const shardFor = (key: string) => {
    const shard = shards.get(ring.get(key));
    if (shard === undefined) throw new CacheError(`${NAME}: ring returned an unknown node`);
    return shard;
  };
  let closed: Promise<void> | undefined;
  return {
    name: NAME,
    nodeFor: (key) => ring.get(key),
    get: (key) => shardFor(key).get(key),
    getWithTtl: (key) => shardFor(key).getWithTtl(key),
    set: (key, value, ttlMs) => shardFor(key).set(key, value, ttlMs),
    invalidate: (key) => shardFor(key).invalidate(key),
    shared: shardedOps((key) => shardFor(key).shared),
    peek: (key) => shardFor(key).peek(key),
    async ping() {
      await Promise.all([...shards.values()].map((shard) => shard.ping()));
    },
    localStats: () => undefined,
    close() {
      closed ??= Promise.all([...shards.values()].map((shard) => shard.close())).then(() => {});
      return closed;
    },
  };
}

/** Each shared operation goes to the node that owns its key (grace copies hash on their own key). */
function shardedOps(opsFor: (key: string) => SharedOps): SharedOps {
  return {
    leaseGet: (key, token, leaseMs) => opsFor(key).leaseGet(key, token, leaseMs),
    leaseSet: (key, token, value, ttlMs) => opsFor(key).leaseSet(key, token, value, ttlMs),
    leaseRelease: (key, token) => opsFor(key).leaseRelease(key, token),
    versionedSet: (key, value, version, ttlMs) =>
      opsFor(key).versionedSet(key, value, version, ttlMs),
    tombstone: (key, version, ttlMs) => opsFor(key).tombstone(key, version, ttlMs),
    keepGrace: (key, copy, ttlMs) => opsFor(key + GRACE_SUFFIX).keepGrace(key, copy, ttlMs),
    recallGrace: (key) => opsFor(key + GRACE_SUFFIX).recallGrace(key),
  };
}

async function connectShard(
  node: string,
  options: ShardedRedisCacheOptions,
): Promise<RedisBackedCache<Redis>> {
  const { observer, logger } = options;
  const client = new Redis({ ...failFastOptions(options), ...parseAddress(node) });
  watchErrors(client, { observer, logger, label: node });
  if (!(await connectWithin(client, options.connectTimeoutMs, logger))) {
    logger?.warn({ redis: node }, 'redis shard not reachable yet; its keys fail fast');
  }
  return redisStrategy(client, { context: { observer, tier: 'l2', strategy: NAME }, logger });
}
