import type { LRUCache } from 'lru-cache';
import { type CacheModel, createLru, getOrFill, pick } from './tier-models.ts';

/** A cache tier of nodes, each an LRU, with keys routed by an owner table (id → node index). */
export interface ShardedTier {
  caches: LRUCache<number, true>[];
  owners: Int32Array;
  nodeEntries: number;
}

/** A tier of `nodes` empty LRUs of `nodeEntries` each. */
export function createTier(nodes: number, nodeEntries: number, owners: Int32Array): ShardedTier {
  return {
    caches: Array.from({ length: nodes }, () => createLru(nodeEntries)),
    owners,
    nodeEntries,
  };
}

/** Cache-aside over the tier: a read fills its owner on a miss, a write deletes it at its owner. */
export function tierModel(tier: ShardedTier): CacheModel {
  return {
    read: (_seq, id) => (getOrFill(pick(tier.caches, tier.owners[id] ?? 0), id) ? 'l2' : 'db'),
    write: (_seq, id) => {
      pick(tier.caches, tier.owners[id] ?? 0).delete(id);
    },
  };
}

/** A copy of an LRU that keeps its recency order. */
function cloneLru(source: LRUCache<number, true>, max: number): LRUCache<number, true> {
  const copy = createLru(max);
  // rkeys() runs least- to most-recently used, so the last set is the most recent, as in source.
  for (const key of source.rkeys()) copy.set(key, true);
  return copy;
}

/** An independent copy of a tier (same contents and recency), to try two changes from one state. */
export function cloneTier(tier: ShardedTier): ShardedTier {
  return {
    caches: tier.caches.map((cache) => cloneLru(cache, tier.nodeEntries)),
    owners: tier.owners,
    nodeEntries: tier.nodeEntries,
  };
}

/**
 * Re-routes the tier to `owners` with `nodes` nodes. Without migration, entries whose owner changed
 * stay where they were, unreachable, and a removed node (the last) loses its data.
 */
export function resizeWithoutMigration(tier: ShardedTier, nodes: number, owners: Int32Array): void {
  while (tier.caches.length < nodes) tier.caches.push(createLru(tier.nodeEntries));
  tier.caches.length = Math.min(tier.caches.length, nodes);
  tier.owners = owners;
}

/**
 * Re-routes the tier and moves every entry whose owner changed to its new owner, least recent
 * first (like MIGRATE of each moved slot); destinations may evict. Returns the entries moved.
 */
export function resizeWithMigration(tier: ShardedTier, nodes: number, owners: Int32Array): number {
  while (tier.caches.length < nodes) tier.caches.push(createLru(tier.nodeEntries));
  let moved = 0;
  tier.caches.forEach((cache, node) => {
    const leaving = [...cache.rkeys()].filter((id) => owners[id] !== node);
    for (const id of leaving) {
      cache.delete(id);
      pick(tier.caches, owners[id] ?? 0).set(id, true);
      moved++;
    }
  });
  tier.caches.length = nodes;
  tier.owners = owners;
  return moved;
}
