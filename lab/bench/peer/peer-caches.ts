import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisBusDriver, redisDriver } from 'bentocache/drivers/redis';
import type { CacheObserver, CacheStrategy } from '../../../services/app/src/cache/cache-types.ts';
import { createCache } from '../../../services/app/src/cache/create-cache.ts';
import { loadConfig } from '../../../services/app/src/config.ts';
import type { Logger } from '../../../services/app/src/logger.ts';

/** The operations the peer bench drives, the same for both libraries. */
export interface PeerCache {
  /** The cached value, or undefined. */
  get(key: string): Promise<unknown>;
  set(key: string, value: Buffer): Promise<void>;
  /** Deletes the key everywhere (and tells the other instances). */
  remove(key: string): Promise<void>;
  /** A write as an application does it: the new value replaces the old everywhere. */
  write(key: string, value: Buffer): Promise<void>;
  /** True when `got` (what get returned) is `value`. */
  holds(got: unknown, value: Buffer): boolean;
  close(): Promise<void>;
}

/** Builds one instance; the peer bench builds two of a kind (A writes, B reads). */
export type PeerFactory = () => Promise<PeerCache>;

const TTL_MS = 300_000;
/** L1 bound shared by both libraries. */
const L1_ITEMS = 10_000;

/**
 * cachelab's `two-tier` strategy exactly as the app builds it (createCache with CACHE_MODE=two-tier):
 * lru-cache L1 of Buffers, Redis L2, Redis pub/sub bus. A write is invalidate-then-set (the app
 * invalidates after its database commit; the next read fills).
 */
export function oursFactory(
  redisUrl: string,
  observer: CacheObserver,
  logger: Logger,
): PeerFactory {
  const config = loadConfig({
    CACHE_MODE: 'two-tier',
    REDIS_URL: redisUrl,
    L1_MAX_ENTRIES: String(L1_ITEMS),
    INVALIDATION_CHANNEL: 'cachelab:bench-peer',
    // One slow reply on a shared box must not abort the run; the timer cost is the same at 100 ms.
    REDIS_COMMAND_TIMEOUT_MS: '2000',
  });
  return async () => oursAdapter(await createCache(config, { observer, logger }));
}

function oursAdapter(cache: CacheStrategy): PeerCache {
  return {
    get: async (key) => (await cache.get(key))?.value,
    set: (key, value) => cache.set(key, value, TTL_MS),
    remove: (key) => cache.invalidate(key),
    async write(key, value) {
      await cache.invalidate(key);
      await cache.set(key, value, TTL_MS);
    },
    holds: (got, value) => Buffer.isBuffer(got) && got.equals(value),
    close: () => cache.close(),
  };
}

const strings = new WeakMap<Buffer, string>();
/** The string form of a value, decoded once (polling compares it many times). */
function asString(value: Buffer): string {
  let text = strings.get(value);
  if (text === undefined) {
    text = value.toString();
    strings.set(value, text);
  }
  return text;
}

/**
 * bentocache configured the same way: memory L1 (serialize on by default, or off), Redis L2, the
 * Redis bus. Values are the profile JSON as a string (bentocache stores strings, not Buffers).
 */
export function bentoFactory(
  redis: { host: string; port: number },
  options: { serialize: boolean },
): PeerFactory {
  return async () => {
    const connection = { host: redis.host, port: redis.port };
    const l1 = options.serialize
      ? memoryDriver({ maxItems: L1_ITEMS, maxSize: '256mb' })
      : memoryDriver({ maxItems: L1_ITEMS, serialize: false });
    const store = bentostore()
      .useL1Layer(l1)
      .useL2Layer(redisDriver({ connection }))
      .useBus(redisBusDriver({ connection }));
    const bento = new BentoCache({ default: 'tiered', ttl: TTL_MS, stores: { tiered: store } });
    return {
      get: (key) => bento.get({ key }),
      set: async (key, value) => void (await bento.set({ key, value: asString(value) })),
      remove: async (key) => void (await bento.delete({ key })),
      write: async (key, value) => void (await bento.set({ key, value: asString(value) })),
      holds: (got, value) => typeof got === 'string' && got === asString(value),
      close: () => bento.disconnect(),
    };
  };
}
