import { LRUCache } from 'lru-cache';
import { OP_READ, type RecordedStream } from './stream.ts';

/** Where a read was served: from a per-server L1, from the shared tier (L2), or from the database. */
export type Outcome = 'l1' | 'l2' | 'db';

/** A cache layout under cache-aside: reads fill on miss, writes invalidate (the next read misses). */
export interface CacheModel {
  read(seq: number, id: number): Outcome;
  write(seq: number, id: number): void;
}

/** Picks the app server (0-based) that handles request number seq for id. */
export type Router = (seq: number, id: number) => number;

/** Request counts of one replay. */
export interface Counters {
  reads: number;
  writes: number;
  l1Hits: number;
  l2Hits: number;
  dbReads: number;
}

/** nginx's default balancing: request seq goes to server seq mod n. */
export function roundRobin(servers: number): Router {
  return (seq) => seq % servers;
}

/** Routing by a precomputed owner table (consistent hash of the key). */
export function byOwner(owners: Int32Array): Router {
  return (_seq, id) => owners[id] ?? 0;
}

/** An LRU of `max` entries from lru-cache, the library the app uses. */
export function createLru(max: number): LRUCache<number, true> {
  return new LRUCache<number, true>({ max });
}

/** The item at index, or a RangeError: a router returned a server that does not exist. */
export function pick<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`no item ${index} among ${items.length}`);
  return item;
}

/** Get, and fill on miss: true on a hit. */
export function getOrFill(cache: LRUCache<number, true>, id: number): boolean {
  if (cache.get(id)) return true;
  cache.set(id, true);
  return false;
}

/**
 * One local LRU per server. A write invalidates the key on every server: the cost of staying
 * correct (with consistent hashing only the owner can hold it, so this changes nothing there).
 */
export function localModel(servers: number, entries: number, route: Router): CacheModel {
  const caches = Array.from({ length: servers }, () => createLru(entries));
  return {
    read: (seq, id) => (getOrFill(pick(caches, route(seq, id)), id) ? 'l1' : 'db'),
    write: (_seq, id) => {
      for (const cache of caches) cache.delete(id);
    },
  };
}

/** One LRU shared by every server (a global cache, reported as tier l2); N plays no part. */
export function globalModel(entries: number): CacheModel {
  const cache = createLru(entries);
  return {
    read: (_seq, id) => (getOrFill(cache, id) ? 'l2' : 'db'),
    write: (_seq, id) => {
      cache.delete(id);
    },
  };
}

/** Per-server L1 in front of a shared L2; a read fills both on a miss; a write clears L2 and every L1. */
export function twoTierModel(servers: number, l1: number, l2: number, route: Router): CacheModel {
  const locals = Array.from({ length: servers }, () => createLru(l1));
  const shared = createLru(l2);
  return {
    read: (seq, id) => {
      const local = pick(locals, route(seq, id));
      if (local.get(id)) return 'l1';
      local.set(id, true);
      return getOrFill(shared, id) ? 'l2' : 'db';
    },
    write: (_seq, id) => {
      shared.delete(id);
      for (const cache of locals) cache.delete(id);
    },
  };
}

/** Empty counters. */
export function emptyCounters(): Counters {
  return { reads: 0, writes: 0, l1Hits: 0, l2Hits: 0, dbReads: 0 };
}

/** Replays requests [from, to) of the stream through the model, adding to counters. */
export function replay(
  model: CacheModel,
  stream: RecordedStream,
  from: number,
  to: number,
  counters: Counters = emptyCounters(),
): Counters {
  for (let seq = from; seq < to; seq++) {
    const id = stream.ids[seq] ?? 0;
    if (stream.ops[seq] !== OP_READ) {
      model.write(seq, id);
      counters.writes++;
      continue;
    }
    counters.reads++;
    const outcome = model.read(seq, id);
    if (outcome === 'l1') counters.l1Hits++;
    else if (outcome === 'l2') counters.l2Hits++;
    else counters.dbReads++;
  }
  return counters;
}
