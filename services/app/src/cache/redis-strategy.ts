import type { Cluster, Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import type {
  CacheOperation,
  CacheOperationResult as Outcome,
  SharedTierHit,
  SharedTierStrategy,
} from './cache-types.ts';
import {
  checked,
  hitOrMiss,
  isTimeout,
  type OperationContext,
  observed,
  withDeadline,
} from './observed.ts';
import { closeClient, dropAfterTimeout } from './redis-connection.ts';
import {
  checkStorable,
  defineSharedScripts,
  isMarker,
  redisSharedOps,
} from './redis-shared-ops.ts';

/** A Redis-backed strategy; `client` is exposed so the invalidation bus can PUBLISH on it. */
export interface RedisBackedCache<C extends Redis | Cluster = Redis | Cluster>
  extends SharedTierStrategy {
  readonly client: C;
}

/** How a client is wrapped: reporting context, log, and an optional whole-operation deadline. */
export interface RedisStrategyOptions {
  context: OperationContext;
  logger?: Logger | undefined;
  /**
   * Bound on a whole operation including client-side retries (cluster redirections and failover
   * retries can exceed the per-command timeout). Unset: the client's commandTimeout bounds it.
   */
  deadlineMs?: number | undefined;
}

/** Wraps one ioredis client (standalone, a shard, or a cluster) as a shared-tier strategy. */
export function redisStrategy<C extends Redis | Cluster>(
  client: C,
  options: RedisStrategyOptions,
): RedisBackedCache<C> {
  const { context, deadlineMs } = options;
  // `key` names the connection a timeout drops on a Cluster (undefined: none there).
  const bound = <T>(key: string | undefined, call: () => Promise<T>): Promise<T> =>
    (deadlineMs === undefined ? call() : withDeadline(call(), deadlineMs)).catch((error) => {
      if (isTimeout(error)) dropAfterTimeout(client, key);
      throw error;
    });
  const run = <T>(
    op: CacheOperation,
    key: string,
    call: () => Promise<T>,
    outcome?: (v: T) => Outcome,
  ) => observed(context, op, () => bound(key, call), outcome);
  let closed: Promise<void> | undefined;
  defineSharedScripts(client);
  return {
    name: context.strategy,
    client,
    async get(key) {
      const value = await run('get', key, () => readValue(client, key), hitOrMiss);
      return value === undefined ? undefined : { value, tier: 'l2' };
    },
    getWithTtl: (key) => run('get', key, () => readWithTtl(client, key), hitOrMiss),
    async set(key, value, ttlMs) {
      checkStorable(value);
      await run('set', key, () => client.set(key, value, 'PX', ttlMs));
    },
    async invalidate(key) {
      await run('invalidate', key, () => client.del(key));
    },
    shared: redisSharedOps(client, (op, key, call) => run(op, key, call)),
    async peek(key) {
      let value: Buffer | undefined;
      await checked(context.strategy, async () => {
        value = await bound(key, () => readValue(client, key));
      });
      return value === undefined ? [] : [{ value, tier: 'l2' }];
    },
    ping: () => checked(context.strategy, () => bound(undefined, () => client.ping())),
    localStats: () => undefined,
    close() {
      closed ??= closeClient(client, options.logger);
      return closed;
    },
  };
}

/** GET, with a lease or tombstone marker read as a miss. */
async function readValue(client: Redis | Cluster, key: string): Promise<Buffer | undefined> {
  const value = await client.getBuffer(key);
  return value === null || isMarker(value) ? undefined : value;
}

/** GET and PTTL written back to back, so they share one round trip. */
async function readWithTtl(
  client: Redis | Cluster,
  key: string,
): Promise<SharedTierHit | undefined> {
  const [value, ttlMs] = await Promise.all([client.getBuffer(key), client.pttl(key)]);
  // PTTL -2: the key expired between the two commands. We always set PX, so -1 means "unknown".
  if (value === null || ttlMs === -2 || isMarker(value)) return undefined;
  return { value, tier: 'l2', ttlMs: Math.max(ttlMs, 0) };
}
