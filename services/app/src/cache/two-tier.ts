import type { Logger } from '../logger.ts';
import type { CacheHit, CacheStrategy, SharedTierHit, SharedTierStrategy } from './cache-types.ts';
import { FillGuard } from './fill-guard.ts';
import type { InvalidationBus } from './invalidation-bus.ts';
import type { LocalLruCache } from './local-lru.ts';
import { type TierState, twoTierSharedOps } from './two-tier-shared.ts';

/**
 * How far before a detected bus drop a catch-up looks: a silently dead subscription is noticed only
 * after the heartbeat period plus its timeout (1 s + 2 s by default).
 */
export const CATCH_UP_MARGIN_MS = 5_000;

/** Keys invalidated since `sinceMs` (epoch ms), or undefined when too many to list. */
export type CatchUp = (sinceMs: number) => Promise<string[] | undefined>;

/** Parts of a two-tier cache: an in-process L1, a shared L2, and the bus that keeps L1s coherent. */
export interface TwoTierCacheOptions {
  l1: LocalLruCache;
  l2: SharedTierStrategy;
  bus: InvalidationBus;
  logger?: Logger | undefined;
  /** Fill-race guard (default: 10 000 keys, 10 s); injectable for tests. */
  guard?: FillGuard;
  /**
   * Where a server whose subscription dropped reads the invalidations it missed (the outbox). Without
   * it, a drop clears the whole L1.
   */
  catchUp?: CatchUp | undefined;
}

/** A two-tier cache; `l1`, `l2` and `bus` are exposed for tests and the lab. */
export interface TwoTierCache extends CacheStrategy {
  /** True while L1 is read and filled (subscribed, and caught up after a bus gap). */
  readonly live: boolean;
  readonly l1: LocalLruCache;
  readonly l2: SharedTierStrategy;
  readonly bus: InvalidationBus;
}

/**
 * Creates the `two-tier` strategy: L1 (local LRU) in front of L2 (Redis or Redis Cluster).
 * - get: L1 hit → 'l1'; else L2 hit → fill L1 for L2's remaining TTL → 'l2'.
 * - invalidate: delete in L2, drop from the local L1, then publish the key; every server (the
 *   sender too) drops it from L1 on receipt.
 * - Pub/sub is at-most-once, so while the subscription is down L1 is bypassed (reads and fills go
 *   to L2). Back up, L1 drops the keys the outbox lists as invalidated in the gap (catchUp), or is
 *   cleared whole without an outbox.
 * - A fill whose read or load began before an invalidation of the key arrived is dropped (see
 *   FillGuard); a set that follows such a stale miss writes neither tier.
 */
export function createTwoTierCache(options: TwoTierCacheOptions): TwoTierCache {
  const { l1, l2, bus } = options;
  const guard = options.guard ?? new FillGuard();
  const state: TierState = { catchingUp: false, live: () => bus.subscribed && !state.catchingUp };
  const dropLocal = followBus(options, guard, state);
  let closed: Promise<void> | undefined;
  return {
    name: 'two-tier',
    get live() {
      return state.live();
    },
    l1,
    l2,
    bus,
    get: (key) => readThroughTiers(options, guard, state, key),
    set: (key, value, ttlMs) => writeThroughTiers(options, guard, state, { key, value, ttlMs }),
    shared: twoTierSharedOps({ l1, l2, bus, guard, state, dropLocal }),
    async peek(key) {
      return [...((await l1.peek?.(key)) ?? []), ...(await l2.peek(key))];
    },
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
function followBus(options: TwoTierCacheOptions, guard: FillGuard, state: TierState) {
  const { l1, bus, logger } = options;
  const dropLocal = (key: string) => {
    guard.invalidate(key);
    l1.drop(key);
  };
  bus.onInvalidate(dropLocal);
  const reset = (why: string) => {
    guard.invalidateAll();
    l1.clear();
    logger?.info({ why }, 'two-tier L1 cleared');
  };
  const gap = { since: undefined as number | undefined, generation: 0 };
  bus.onDisconnect(() => {
    gap.generation += 1;
    if (options.catchUp === undefined) return reset('invalidation bus dropped');
    // L1 is bypassed while unsubscribed (state.live()); fills already in flight must not land.
    guard.invalidateAll();
    gap.since ??= Date.now() - CATCH_UP_MARGIN_MS;
  });
  bus.onResubscribed(() => {
    if (options.catchUp === undefined) return reset('invalidation bus resubscribed');
    if (gap.since === undefined) return;
    state.catchingUp = true;
    void catchUpGap(options, { gap, state, dropLocal, reset });
  });
  return dropLocal;
}

/** Drops the keys invalidated during a bus gap (or everything when they cannot be listed). */
async function catchUpGap(
  { catchUp, logger }: TwoTierCacheOptions,
  run: {
    gap: { since: number | undefined; generation: number };
    state: TierState;
    dropLocal: (key: string) => void;
    reset: (why: string) => void;
  },
): Promise<void> {
  const { gap, state } = run;
  const generation = gap.generation;
  let keys: string[] | undefined;
  try {
    keys = await catchUp?.(gap.since ?? 0);
  } catch (error) {
    logger?.warn({ err: error }, 'two-tier catch-up from the outbox failed');
  }
  if (keys === undefined) run.reset('invalidation bus gap could not be listed');
  else for (const key of keys) run.dropLocal(key);
  logger?.info({ keys: keys?.length }, 'two-tier L1 caught up after a bus gap');
  // Another drop during the catch-up keeps the older gap open for the next resubscription.
  if (gap.generation === generation) {
    gap.since = undefined;
    state.catchingUp = false;
  }
}

/** L1, else L2 (filling L1 when no invalidation overtook the read). */
async function readThroughTiers(
  { l1, l2 }: TwoTierCacheOptions,
  guard: FillGuard,
  state: TierState,
  key: string,
): Promise<CacheHit | undefined> {
  const epoch = guard.epoch;
  if (state.live()) {
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
  if (fresh && state.live() && found.ttlMs > 0) await l1.set(key, found.value, found.ttlMs);
  return { value: found.value, tier: 'l2' };
}

/** Writes L2 then L1, unless an invalidation overtook the miss (or load) this value comes from. */
async function writeThroughTiers(
  { l1, l2 }: TwoTierCacheOptions,
  guard: FillGuard,
  state: TierState,
  entry: { key: string; value: Buffer; ttlMs: number },
): Promise<void> {
  const ticket = guard.beginSet(entry.key);
  try {
    if (ticket.stale) return;
    await l2.set(entry.key, entry.value, entry.ttlMs);
    if (!ticket.stale && state.live()) await l1.set(entry.key, entry.value, entry.ttlMs);
  } finally {
    guard.end(entry.key, ticket);
  }
}
