import { Cluster, type ClusterOptions, type NatMap } from 'ioredis';
import type { Logger } from '../logger.ts';
import type { CacheObserver } from './cache-types.ts';
import type { Publisher } from './invalidation-bus.ts';
import {
  connectWithin,
  parseAddress,
  type RedisTimeouts,
  reconnectDelay,
  watchErrors,
} from './redis-connection.ts';
import { type RedisBackedCache, redisStrategy } from './redis-strategy.ts';

/** Options of the Redis Cluster strategy. */
export interface RedisClusterCacheOptions extends RedisTimeouts {
  /** Seed nodes as host:port (any subset of the cluster; the slot map is discovered). */
  seeds: string[];
  observer: CacheObserver;
  logger?: Logger | undefined;
  /** The cluster's cluster-node-timeout; failover retries are sized to outlast it (default 5000). */
  clusterNodeTimeoutMs?: number;
  /** Strategy name reported in errors (default 'global-cluster'). */
  name?: string;
  /** Where to dial each announced node address (REDIS_NAT_MAP); empty: as announced. */
  natMap?: NatMap | undefined;
}

/** The Redis Cluster strategy (`global-cluster`, and the L2 of two-tier with L2_CLUSTER). */
export type RedisClusterCache = RedisBackedCache<Cluster>;

const MAX_REDIRECTIONS = 16;

/** How long the client keeps retrying one command through a failover (cluster-node-timeout + 2 s). */
export function failoverRetryWindowMs(clusterNodeTimeoutMs = 5_000): number {
  // A replica is promoted ~1–2 s after cluster-node-timeout: retries must span both.
  return Math.ceil((clusterNodeTimeoutMs + 2_000) / MAX_REDIRECTIONS) * MAX_REDIRECTIONS;
}

/** ioredis Cluster options: fail fast per request, but keep retrying long enough to ride out a failover. */
export function clusterOptions(
  options: RedisTimeouts & { clusterNodeTimeoutMs?: number; natMap?: NatMap | undefined },
): ClusterOptions {
  const natMap = options.natMap ?? {};
  const retryDelay = failoverRetryWindowMs(options.clusterNodeTimeoutMs) / MAX_REDIRECTIONS;
  return {
    enableOfflineQueue: false,
    scaleReads: 'master',
    maxRedirections: MAX_REDIRECTIONS,
    retryDelayOnFailover: retryDelay,
    retryDelayOnClusterDown: retryDelay,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: options.connectTimeoutMs,
    // Periodic refresh notices a promoted replica even when no command hits a MOVED.
    slotsRefreshInterval: 2_000,
    clusterRetryStrategy: reconnectDelay,
    lazyConnect: true,
    ...(Object.keys(natMap).length > 0 ? { natMap } : {}),
    // Node connections are managed (and reconnected) by the Cluster; only their timeouts are ours.
    redisOptions: {
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: options.connectTimeoutMs,
      maxRetriesPerRequest: 0,
      ...(options.password ? { password: options.password } : {}),
    },
  };
}

/**
 * Creates the `global-cluster` strategy. Each operation is bounded by the command timeout as a
 * whole (redirections and failover retries included), so a failing master costs one timeout, not
 * the whole failover; the client keeps following the slot map in the background.
 */
export async function createRedisClusterCache(
  options: RedisClusterCacheOptions,
): Promise<RedisClusterCache> {
  const client = new Cluster(options.seeds.map(parseAddress), clusterOptions(options));
  const { observer, logger } = options;
  const label = options.seeds.join(',');
  watchErrors(client, { observer, logger, label });
  client.on('node error', (error: unknown, node: string) => {
    observer.error('l2', error);
    logger?.warn({ err: error, redis: node }, 'redis cluster node error');
  });
  if (await connectWithin(client, options.connectTimeoutMs * 2, logger)) {
    await warmUp(client, logger);
  } else {
    logger?.warn({ redis: label }, 'redis cluster not ready yet; cache operations fail fast');
  }
  const context = { observer, tier: 'l2' as const, strategy: options.name ?? 'global-cluster' };
  return redisStrategy(client, { context, logger, deadlineMs: options.commandTimeoutMs });
}

/**
 * Opens the connection to every master now: ioredis connects to nodes lazily, and a first command
 * that has to connect (and run the ready check) can exceed the per-operation deadline.
 */
async function warmUp(client: Cluster, logger: Logger | undefined): Promise<void> {
  const results = await Promise.allSettled(client.nodes('master').map((node) => node.ping()));
  for (const result of results) {
    if (result.status === 'rejected') {
      logger?.warn({ err: result.reason }, 'redis cluster master did not answer the warm-up ping');
    }
  }
}

/**
 * The bus publisher of a Cluster: PUBLISH reaches every node but counts only its own node's
 * receivers, so the subscribers to wait for are summed over every node the client knows (PUBSUB
 * NUMSUB): every master, and each replica once CLUSTER SLOTS lists it (after its first sync).
 */
export function clusterPublisher(client: Cluster): Publisher {
  return {
    publish: (channel, message) => client.publish(channel, message),
    async subscriberCount(channel) {
      const replies = await Promise.all(
        client.nodes('all').map((node) => node.pubsub('NUMSUB', channel)),
      );
      return replies.reduce((sum: number, reply) => sum + Number((reply as unknown[])[1] ?? 0), 0);
    },
  };
}
