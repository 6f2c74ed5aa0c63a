import type { LeaseReply, SharedOps, SharedTierStrategy } from './cache-types.ts';
import type { FillGuard } from './fill-guard.ts';
import type { InvalidationBus } from './invalidation-bus.ts';
import type { LocalLruCache } from './local-lru.ts';

/** Whether L1 may be read and filled: subscribed, and not catching up after a bus gap. */
export interface TierState {
  catchingUp: boolean;
  live(): boolean;
}

/** What the two-tier shared operations work on. */
export interface TwoTierParts {
  l1: LocalLruCache;
  l2: SharedTierStrategy;
  bus: InvalidationBus;
  guard: FillGuard;
  state: TierState;
  /** Drops a key from this server's L1 and vetoes its fills in flight. */
  dropLocal(key: string): void;
}

/**
 * The shared operations of two-tier: L2's scripts decide (leases, versions, tombstones), L1 follows
 * under the fill guard, and a tombstone is broadcast on the bus like an invalidation.
 */
export function twoTierSharedOps(parts: TwoTierParts): SharedOps {
  const { l2, bus } = parts;
  return {
    leaseGet: (key, token, leaseMs) => leaseGetThroughTiers(parts, key, token, leaseMs),
    leaseSet: (key, token, value, ttlMs) =>
      guardedFill(parts, key, value, ttlMs, () => l2.shared.leaseSet(key, token, value, ttlMs)),
    async leaseRelease(key, token) {
      // Ends the watch the lease's miss handed off: no fill follows it.
      const ticket = parts.guard.beginSet(key);
      try {
        return await l2.shared.leaseRelease(key, token);
      } finally {
        parts.guard.end(key, ticket);
      }
    },
    versionedSet: (key, value, version, ttlMs) =>
      guardedFill(parts, key, value, ttlMs, () =>
        l2.shared.versionedSet(key, value, version, ttlMs),
      ),
    async tombstone(key, version, ttlMs) {
      try {
        await l2.shared.tombstone(key, version, ttlMs);
      } finally {
        parts.dropLocal(key);
      }
      await bus.publish(key);
    },
    keepGrace: (key, copy, ttlMs) => l2.shared.keepGrace(key, copy, ttlMs),
    recallGrace: (key) => l2.shared.recallGrace(key),
  };
}

/** L1, else L2's lease script; an L2 hit fills L1 when no invalidation overtook the read. */
async function leaseGetThroughTiers(
  { l1, l2, guard, state }: TwoTierParts,
  key: string,
  token: string,
  leaseMs: number,
): Promise<LeaseReply> {
  const epoch = guard.epoch;
  if (state.live()) {
    const hit = await l1.get(key);
    if (hit !== undefined) return { kind: 'hit', hit };
  }
  const ticket = guard.begin(key);
  const overtaken = guard.epoch !== epoch;
  let reply: LeaseReply;
  try {
    reply = await l2.shared.leaseGet(key, token, leaseMs);
  } catch (error) {
    guard.end(key, ticket);
    throw error;
  }
  if (reply.kind === 'granted') {
    guard.handOff(ticket);
    return reply;
  }
  const fresh = guard.end(key, ticket) && !overtaken;
  if (reply.kind === 'hit') {
    const ttlMs = (reply.hit as { ttlMs?: number }).ttlMs ?? 0;
    if (fresh && state.live() && ttlMs > 0) await l1.set(key, reply.hit.value, ttlMs);
    return { kind: 'hit', hit: { value: reply.hit.value, tier: 'l2' } };
  }
  return reply;
}

/** Writes L2 through `write`; L1 only when L2 took it and no invalidation overtook the fill. */
async function guardedFill(
  { l1, guard, state }: TwoTierParts,
  key: string,
  value: Buffer,
  ttlMs: number,
  write: () => Promise<boolean>,
): Promise<boolean> {
  const ticket = guard.beginSet(key);
  try {
    if (ticket.stale) return false;
    const stored = await write();
    if (stored && !ticket.stale && state.live()) await l1.set(key, value, ttlMs);
    return stored;
  } finally {
    guard.end(key, ticket);
  }
}
