import type { Logger } from '../logger.ts';
import { FillGuard } from './fill-guard.ts';
import type { InvalidationBus } from './invalidation-bus.ts';
import type { LocalLruCache } from './local-lru.ts';
import type { CacheHit, CacheStrategy, SharedTierHit, SharedTierStrategy } from './types.ts';

/** Parts of a two-tier cache: an in-process L1, a shared L2, and the bus that keeps L1s coherent. */
export interface TwoTierCacheOptions {
  l1: LocalLruCache;
  l2: SharedTierStrategy;
  bus: InvalidationBus;
  logger?: Logger | undefined;
  /** Fill-race guard (default: 10 000 keys, 10 s); injectable for tests. */
  guard?: FillGuard;
}

/** A two-tier cache; `l1`, `l2` and `bus` are exposed for tests and the lab. */
export interface TwoTierCache extends CacheStrategy {
  readonly l1: LocalLruCache;
  readonly l2: SharedTierStrategy;
  readonly bus: InvalidationBus;
}

/**
 * Creates the `two-tier` strategy: L1 (local LRU) in front of L2 (Redis or Redis Cluster).
 * - get: L1 hit → 'l1'; else L2 hit → fill L1 for L2's remaining TTL → 'l2'.
 * - invalidate: delete in L2, drop from the local L1, then publish the key; every server (the
 *   sender too) drops it from L1 on receipt.
 * - Pub/sub is at-most-once, so while the subscription is down L1 is cleared and bypassed (reads
 *   and fills go to L2), and cleared again when it is back.
 * - A fill whose read or load began before an invalidation of the key arrived is dropped (see
 *   FillGuard); a set that follows such a stale miss writes neither tier.
 */
export function createTwoTierCache(options: TwoTierCacheOptions): TwoTierCache {
  const { l1, l2, bus } = options;
  const guard = options.guard ?? new FillGuard();
  const dropLocal = followBus(options, guard);
  let closed: Promise<void> | undefined;
  return {
    name: 'two-tier',
    l1,
    l2,
    bus,
    get: (key) => readThroughTiers(options, guard, key),
    set: (key, value, ttlMs) => writeThroughTiers(options, guard, { key, value, ttlMs }),
    async invalidate(key) {
      try {
        await l2.invalidate(key);
      } finally {
        // Also catches a fill from a read that saw the old L2 value just before the delete.
        dropLocal(key);
      }
      await bus.publish(key);
    },
    ping: () => l2.ping(),
    localStats: () => l1.localStats(),
    close() {
      closed ??= Promise.all([bus.close(), l2.close(), l1.close()]).then(() => {});
      return closed;
    },
  };
}

/** Subscribes L1 to the bus; returns the local drop used for this server's own invalidations. */
function followBus({ l1, bus, logger }: TwoTierCacheOptions, guard: FillGuard) {
  const dropLocal = (key: string) => {
    guard.invalidate(key);
    l1.drop(key);
  };
  bus.onInvalidate(dropLocal);
  const reset = (why: string) => () => {
    guard.invalidateAll();
    l1.clear();
    logger?.info({ why }, 'two-tier L1 cleared');
  };
  bus.onDisconnect(reset('invalidation bus dropped'));
  bus.onResubscribed(reset('invalidation bus resubscribed'));
  return dropLocal;
}

/** L1, else L2 (filling L1 when no invalidation overtook the read). */
async function readThroughTiers(
  { l1, l2, bus }: TwoTierCacheOptions,
  guard: FillGuard,
  key: string,
): Promise<CacheHit | undefined> {
  const epoch = guard.epoch;
  if (bus.subscribed) {
    const hit = await l1.get(key);
    if (hit !== undefined) return hit;
  }
  const ticket = guard.begin(key);
  // Any invalidation during the L1 lookup (before the ticket existed) may have been for this key.
  // It only vetoes this read's own L1 fill: a load after this miss starts after that invalidation.
  const overtaken = guard.epoch !== epoch;
  let found: SharedTierHit | undefined;
  try {
    found = await l2.getWithTtl(key);
  } catch (error) {
    guard.end(key, ticket);
    throw error;
  }
  if (found === undefined) {
    guard.handOff(ticket);
    return undefined;
  }
  const fresh = guard.end(key, ticket) && !overtaken;
  if (fresh && bus.subscribed && found.ttlMs > 0) await l1.set(key, found.value, found.ttlMs);
  return { value: found.value, tier: 'l2' };
}

/** Writes L2 then L1, unless an invalidation overtook the miss (or load) this value comes from. */
async function writeThroughTiers(
  { l1, l2, bus }: TwoTierCacheOptions,
  guard: FillGuard,
  entry: { key: string; value: Buffer; ttlMs: number },
): Promise<void> {
  const ticket = guard.beginSet(entry.key);
  try {
    if (ticket.stale) return;
    await l2.set(entry.key, entry.value, entry.ttlMs);
    if (!ticket.stale && bus.subscribed) await l1.set(entry.key, entry.value, entry.ttlMs);
  } finally {
    guard.end(entry.key, ticket);
  }
}
