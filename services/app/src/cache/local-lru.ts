import { LRUCache } from 'lru-cache';
import type { CacheObserver, CacheStrategy } from './cache-types.ts';
import { hitOrMiss, type OperationContext, observed } from './observed.ts';

/** Options of the in-process LRU. */
export interface LocalLruCacheOptions {
  /** Most entries kept (L1_MAX_ENTRIES). */
  maxEntries: number;
  /** Most value bytes kept (L1_MAX_BYTES); a single value larger than this is not stored. */
  maxBytes: number;
  observer: CacheObserver;
}

/** The in-process LRU; also the L1 of two-tier, which needs synchronous drop and clear. */
export interface LocalLruCache extends CacheStrategy {
  /** Removes one key now (reported as an 'invalidate' eviction). */
  drop(key: string): void;
  /** Removes every entry now (reported as 'invalidate' evictions). */
  clear(): void;
}

/**
 * Creates the `local` strategy: lru-cache bounded by entry count AND value bytes, with a TTL per
 * entry. Evictions are reported by reason: 'size' (either bound), 'ttl', 'invalidate'.
 */
export function createLocalLruCache(options: LocalLruCacheOptions): LocalLruCache {
  const { observer } = options;
  const lru = new LRUCache<string, Buffer>({
    max: options.maxEntries,
    maxSize: options.maxBytes,
    // lru-cache rejects a size of 0; an empty value still costs an entry.
    sizeCalculation: (value) => Math.max(value.length, 1),
    dispose: (_value, _key, reason) => {
      if (reason === 'evict') observer.eviction('l1', 'size');
      else if (reason === 'expire') observer.eviction('l1', 'ttl');
      else if (reason === 'delete') observer.eviction('l1', 'invalidate');
    },
  });
  const context: OperationContext = { observer, tier: 'l1', strategy: 'local' };
  return {
    name: 'local',
    async get(key) {
      const value = await observed(context, 'get', async () => lru.get(key), hitOrMiss);
      return value === undefined ? undefined : { value, tier: 'l1' };
    },
    async set(key, value, ttlMs) {
      await observed(context, 'set', async () => lru.set(key, value, { ttl: ttlMs }));
    },
    async invalidate(key) {
      await observed(context, 'invalidate', async () => lru.delete(key));
    },
    async peek(key) {
      const value = lru.peek(key);
      return value === undefined ? [] : [{ value, tier: 'l1' }];
    },
    drop: (key) => lru.delete(key),
    clear: () => lru.clear(),
    async ping() {},
    localStats: () => ({ entries: lru.size, bytes: lru.calculatedSize }),
    async close() {
      lru.clear();
    },
  };
}
