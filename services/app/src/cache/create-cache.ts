import type { AppConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { CacheObserver, CacheStrategy, SharedTierStrategy } from './cache-types.ts';
import { FillGuard } from './fill-guard.ts';
import { createInvalidationBus, type Publisher } from './invalidation-bus.ts';
import { createLocalDiskCache } from './local-disk.ts';
import { createLocalLruCache } from './local-lru.ts';
import { createNoCache } from './none.ts';
import { clusterPublisher, createRedisClusterCache } from './redis-cluster.ts';
import type { RedisTimeouts } from './redis-connection.ts';
import { createShardedRedisCache } from './redis-sharded.ts';
import { createRedisCache } from './redis-single.ts';
import { type CatchUp, createTwoTierCache } from './two-tier.ts';

/** What every strategy reports to. */
export interface CacheDependencies {
  observer: CacheObserver;
  logger: Logger;
  /** two-tier: where L1 catches up after a bus gap (the outbox); absent = clear L1. */
  catchUp?: CatchUp | undefined;
  /** two-tier: delay before bus reconnect attempt n (default: capped exponential backoff). */
  busReconnectDelayMs?: ((attempt: number) => number) | undefined;
}

/**
 * Builds the strategy named by CACHE_MODE. Redis-backed strategies wait at most about the connect
 * timeout for their first connection and otherwise start degraded (operations fail fast).
 */
export async function createCache(
  config: AppConfig,
  { observer, logger, catchUp, busReconnectDelayMs }: CacheDependencies,
): Promise<CacheStrategy> {
  const timeouts: RedisTimeouts = {
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
    connectTimeoutMs: config.REDIS_CONNECT_TIMEOUT_MS,
    password: config.REDIS_PASSWORD,
  };
  const log = logger.child({ component: 'cache', mode: config.CACHE_MODE });
  switch (config.CACHE_MODE) {
    case 'none':
      return createNoCache();
    case 'local':
      return localLru(config, observer);
    case 'local-disk':
      return createLocalDiskCache({
        path: config.DISK_CACHE_PATH,
        maxEntries: config.DISK_MAX_ENTRIES,
        observer,
      });
    case 'global':
      return createRedisCache({ ...timeouts, url: config.REDIS_URL, observer, logger: log });
    case 'global-cluster':
      return createRedisClusterCache({
        ...timeouts,
        seeds: config.REDIS_NODES,
        natMap: config.REDIS_NAT_MAP,
        observer,
        logger: log,
      });
    case 'global-sharded':
      return createShardedRedisCache({
        ...timeouts,
        nodes: config.REDIS_NODES,
        observer,
        logger: log,
      });
    case 'two-tier':
      return twoTier(config, timeouts, { observer, logger: log, catchUp, busReconnectDelayMs });
  }
}

function localLru(config: AppConfig, observer: CacheObserver) {
  return createLocalLruCache({
    maxEntries: config.L1_MAX_ENTRIES,
    maxBytes: config.L1_MAX_BYTES,
    observer,
  });
}

/** Where the bus subscriber connects: its own addresses when given, else the L2's. */
export function busAddresses(config: AppConfig): string[] {
  if (config.INVALIDATION_BUS_NODES.length > 0) return config.INVALIDATION_BUS_NODES;
  return config.L2_CLUSTER ? config.REDIS_NODES : [config.REDIS_URL];
}

/**
 * L1 + (Redis | Redis Cluster) + the bus. The bus publishes on the L2 client and subscribes on a
 * connection of its own (INVALIDATION_BUS_NODES, else the L2's addresses): a server whose bus is
 * cut still sends its invalidations, it only stops hearing the others'.
 */
async function twoTier(
  config: AppConfig,
  timeouts: RedisTimeouts,
  { observer, logger, catchUp, busReconnectDelayMs }: CacheDependencies,
): Promise<CacheStrategy> {
  const shared = { ...timeouts, observer, logger };
  const cluster = config.L2_CLUSTER
    ? await createRedisClusterCache({
        ...shared,
        seeds: config.REDIS_NODES,
        natMap: config.REDIS_NAT_MAP,
        name: 'two-tier-l2',
      })
    : undefined;
  const l2: SharedTierStrategy & { client: Publisher } =
    cluster ?? (await createRedisCache({ ...shared, url: config.REDIS_URL, name: 'two-tier-l2' }));
  const bus = await createInvalidationBus({
    ...shared,
    publisher: cluster ? clusterPublisher(cluster.client) : l2.client,
    subscribeTo: busAddresses(config),
    channel: config.INVALIDATION_CHANNEL,
    ...(busReconnectDelayMs === undefined ? {} : { reconnectDelayMs: busReconnectDelayMs }),
  });
  // A load that outlives the database timeouts fails, so no fill can come later than this.
  const guard = new FillGuard({
    ttlMs: config.DB_CONNECT_TIMEOUT_MS + config.DB_STATEMENT_TIMEOUT_MS + 1_000,
  });
  const l1 = localLru(config, observer);
  return createTwoTierCache({ l1, l2, bus, logger, guard, catchUp });
}
