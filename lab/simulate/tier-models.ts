import { LRUCache } from 'lru-cache';
import { OP_READ, type RecordedStream } from './stream.ts';

/**
 * Where a read was served: from a per-server L1, from the shared tier (L2), or from the database;
 * `stale-l1` is an L1 hit on a copy older than the last acknowledged write of the key.
 */
export type Outcome = 'l1' | 'stale-l1' | 'l2' | 'db';

/** How a write reaches per-server caches: on every server, or only on the server that took it. */
export type Invalidation = 'everywhere' | 'local-only';

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
  /** Hits (counted in l1Hits) that returned a copy older than the key's last write. */
  staleReads: number;
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
export function createLru<V extends {} = true>(max: number): LRUCache<number, V> {
  return new LRUCache<number, V>({ max });
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

/** A per-server L1 entry: the key's version when it was filled, and the request it expires at. */
interface LocalEntry {
  version: number;
  expiresAt: number;
}

/** Options of localModel. */
export interface LocalModelOptions {
  invalidation?: Invalidation;
  /** Entry lifetime in requests (the app's L1 TTL × the request rate); 0 = entries never expire. */
  ttlRequests?: number;
  /**
   * The first request whose writes the stale-read check knows (the lab's checker sees only the
   * writes of its own load run); a copy made stale by earlier writes only is an unnoticed hit.
   */
  staleCheckFrom?: number;
}

/**
 * One local LRU per server; each entry remembers the key's version when it was filled.
 * `everywhere`: a write deletes the key on every server, the cost of staying correct.
 * `local-only`: a write deletes it only on the server that took it (what the `local` topology
 * does), so other servers serve their older copy until it expires or is evicted: a stale read,
 * counted as `stale-l1`. With consistent hashing the writer is the only holder, so both behave
 * alike there. The TTL counts requests and has no jitter (the app's is ±10 %).
 */
export function localModel(
  servers: number,
  entries: number,
  route: Router,
  { invalidation = 'everywhere', ttlRequests = 0, staleCheckFrom = 0 }: LocalModelOptions = {},
): CacheModel {
  const caches = Array.from({ length: servers }, () => createLru<LocalEntry>(entries));
  const versions = new Map<number, number>();
  const lastWrite = new Map<number, number>();
  const lifetime = ttlRequests > 0 ? ttlRequests : Number.POSITIVE_INFINITY;
  return {
    read: (seq, id) => {
      const cache = pick(caches, route(seq, id));
      const version = versions.get(id) ?? 0;
      const held = cache.get(id);
      if (held === undefined || held.expiresAt <= seq) {
        cache.set(id, { version, expiresAt: seq + lifetime });
        return 'db';
      }
      const noticed = (lastWrite.get(id) ?? -1) >= staleCheckFrom;
      return held.version < version && noticed ? 'stale-l1' : 'l1';
    },
    write: (seq, id) => {
      versions.set(id, (versions.get(id) ?? 0) + 1);
      lastWrite.set(id, seq);
      if (invalidation === 'local-only') pick(caches, route(seq, id)).delete(id);
      else for (const cache of caches) cache.delete(id);
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
  return { reads: 0, writes: 0, l1Hits: 0, l2Hits: 0, dbReads: 0, staleReads: 0 };
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
    else if (outcome === 'stale-l1') {
      counters.l1Hits++;
      counters.staleReads++;
    } else if (outcome === 'l2') counters.l2Hits++;
    else counters.dbReads++;
  }
  return counters;
}
