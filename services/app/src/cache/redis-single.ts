import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import type { CacheObserver } from './cache-types.ts';
import {
  connectWithin,
  failFastOptions,
  parseAddress,
  type RedisTimeouts,
  watchErrors,
} from './redis-connection.ts';
import { type RedisBackedCache, redisStrategy } from './redis-strategy.ts';

/** Options of the single-Redis strategy. */
export interface RedisCacheOptions extends RedisTimeouts {
  url: string;
  observer: CacheObserver;
  logger?: Logger | undefined;
  /** Strategy name reported in errors (default 'global'). */
  name?: string;
}

/** The single-Redis strategy (`global`, and the L2 of two-tier). */
export type RedisCache = RedisBackedCache<Redis>;

/**
 * Creates the `global` strategy: one Redis shared by every server. Waits up to the connect timeout
 * for the first connection; if Redis is down it returns anyway and every command fails fast
 * (no offline queue, commandTimeout) while the client reconnects with capped backoff.
 */
export async function createRedisCache(options: RedisCacheOptions): Promise<RedisCache> {
  const { host, port, password } = parseAddress(options.url);
  const client = new Redis({
    ...failFastOptions({ ...options, password: password ?? options.password }),
    host,
    port,
  });
  const { observer, logger } = options;
  watchErrors(client, { observer, logger, label: options.url });
  if (!(await connectWithin(client, options.connectTimeoutMs, logger))) {
    logger?.warn({ redis: options.url }, 'redis not reachable yet; cache operations fail fast');
  }
  const context = { observer, tier: 'l2' as const, strategy: options.name ?? 'global' };
  return redisStrategy(client, { context, logger });
}
