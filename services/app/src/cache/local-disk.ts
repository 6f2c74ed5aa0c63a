import { type Database, open, type RootDatabase } from 'lmdb';
import type { CacheObserver, CacheStrategy, LocalTierStats } from './cache-types.ts';
import { hitOrMiss, type OperationContext, observed } from './observed.ts';

/** Options of the on-disk local cache. */
export interface LocalDiskCacheOptions {
  /** LMDB environment directory (DISK_CACHE_PATH); created if missing, reused across restarts. */
  path: string;
  /** Most entries kept (DISK_MAX_ENTRIES); the oldest writes are evicted first. */
  maxEntries: number;
  observer: CacheObserver;
  /** Period of the background sweep that enforces maxEntries and drops expired entries (default 1 s). */
  sweepIntervalMs?: number;
}

/** The on-disk local cache; `sweep` runs the eviction pass now (tests, shutdown). */
export interface LocalDiskCache extends CacheStrategy {
  /** Evicts entries over the bound and expired ones at the old end; returns how many went. */
  sweep(): Promise<number>;
}

/** Value layout: [expiresAt: float64 ms epoch][seq: float64][bytes]. */
const HEADER_BYTES = 16;
/** Most index entries one sweep visits, to keep its write transaction short. */
const SWEEP_BATCH = 10_000;

interface Stores {
  root: RootDatabase<Buffer, string>;
  /** Insertion order: seq → key. A key rewritten later has a newer seq; the old one is stale. */
  order: Database<string, number>;
}

/**
 * Creates the `local-disk` strategy: LMDB (values are raw Buffers), surviving restarts. The TTL is
 * stored with the value; expired entries are misses and are removed. The entry bound is enforced
 * by a background sweep over an insertion-order index, so `set` stays one small transaction.
 */
export function createLocalDiskCache(options: LocalDiskCacheOptions): LocalDiskCache {
  const { observer } = options;
  const stores = openStores(options.path);
  const context: OperationContext = { observer, tier: 'l1', strategy: 'local-disk' };
  const sweeper = startSweeper(stores, options);
  let nextSeq = lastSeq(stores) + 1;
  let closed: Promise<void> | undefined;
  return {
    name: 'local-disk',
    get: (key) => observed(context, 'get', () => read(stores, key, observer), hitOrMiss),
    async set(key, value, ttlMs) {
      const seq = nextSeq++;
      await observed(context, 'set', () => write(stores, key, encode(value, ttlMs, seq), seq));
    },
    async invalidate(key) {
      const removed = await observed(context, 'invalidate', () => stores.root.remove(key));
      if (removed) observer.eviction('l1', 'invalidate');
    },
    async ping() {},
    sweep: sweeper.sweep,
    localStats: () => diskStats(stores.root),
    close() {
      closed ??= sweeper.stop().then(() => stores.root.close());
      return closed;
    },
  };
}

function openStores(path: string): Stores {
  const root = open<Buffer, string>({ path, encoding: 'binary', separateFlushed: true });
  return { root, order: root.openDB<string, number>({ name: 'order' }) };
}

/** lmdb-js commits the writes of one event turn in one transaction: both land or neither. */
async function write(stores: Stores, key: string, record: Buffer, seq: number): Promise<void> {
  await Promise.all([stores.root.put(key, record), stores.order.put(seq, key)]);
}

/** Runs `evict` every sweepIntervalMs (never two at once); failures go to the observer. */
function startSweeper(stores: Stores, options: LocalDiskCacheOptions) {
  let running: Promise<number> | undefined;
  const sweep = (): Promise<number> => {
    running ??= evict(stores, options.maxEntries, options.observer).finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    sweep().catch((error: unknown) => options.observer.error('l1', error));
  }, options.sweepIntervalMs ?? 1_000);
  timer.unref();
  const stop = async () => {
    clearInterval(timer);
    // A failed sweep was already reported by whoever started it; closing must go on.
    await Promise.allSettled([running]);
  };
  return { sweep, stop };
}

async function read(stores: Stores, key: string, observer: CacheObserver) {
  const raw = stores.root.get(key);
  if (raw === undefined) return undefined;
  if (raw.readDoubleBE(0) > Date.now())
    return { value: raw.subarray(HEADER_BYTES), tier: 'l1' as const };
  const seq = raw.readDoubleBE(8);
  // Remove only if nobody rewrote the key since we read it (the seq identifies the write).
  const removed = await stores.root.transaction(() => {
    const current = stores.root.get(key);
    if (current === undefined || current.readDoubleBE(8) !== seq) return false;
    stores.root.remove(key);
    return true;
  });
  if (removed) observer.eviction('l1', 'ttl');
  return undefined;
}

/**
 * Pops the oldest order entries while the cache is over the bound or the head is expired or stale
 * (its key was rewritten or removed). Stale entries may make the index up to 2× maxEntries long;
 * past that, live entries go too, so the index itself stays bounded.
 */
function evict(stores: Stores, maxEntries: number, observer: CacheObserver): Promise<number> {
  return stores.root.transaction(() => {
    const now = Date.now();
    let values = diskStats(stores.root).entries;
    let indexed = (stores.order.getStats() as LmdbStats).entryCount;
    const excess = Math.max(values - maxEntries, indexed - 2 * maxEntries, 0);
    let removed = 0;
    // Materialise the head first: we delete while walking it.
    for (const { key: seq, value: key } of [
      ...stores.order.getRange({ limit: Math.min(excess + 256, SWEEP_BATCH) }),
    ]) {
      const raw = stores.root.get(key);
      const live = raw !== undefined && raw.readDoubleBE(8) === seq;
      const expired = live && raw.readDoubleBE(0) <= now;
      const overBound = values > maxEntries || indexed > 2 * maxEntries;
      if (live && !expired && !overBound) break;
      stores.order.remove(seq);
      indexed -= 1;
      if (!live) continue;
      stores.root.remove(key);
      values -= 1;
      removed += 1;
      observer.eviction('l1', expired ? 'ttl' : 'size');
    }
    return removed;
  });
}

function encode(value: Buffer, ttlMs: number, seq: number): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + value.length);
  out.writeDoubleBE(Date.now() + ttlMs, 0);
  out.writeDoubleBE(seq, 8);
  value.copy(out, HEADER_BYTES);
  return out;
}

function lastSeq(stores: Stores): number {
  for (const seq of stores.order.getKeys({ reverse: true, limit: 1 })) return seq;
  return 0;
}

interface LmdbStats {
  pageSize: number;
  entryCount: number;
  treeBranchPageCount: number;
  treeLeafPageCount: number;
  overflowPages: number;
}

function diskStats(root: RootDatabase<Buffer, string>): LocalTierStats {
  const stats = root.getStats() as LmdbStats;
  const pages = stats.treeBranchPageCount + stats.treeLeafPageCount + stats.overflowPages;
  // The root database also holds one entry per named sub-database (here: 'order').
  return { entries: Math.max(stats.entryCount - 1, 0), bytes: pages * stats.pageSize };
}
