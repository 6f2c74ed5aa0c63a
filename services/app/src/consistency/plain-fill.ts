import type { CacheStrategy } from '../cache/cache-types.ts';
import type { ConsistencyObserver, Lookup } from './consistency-types.ts';

/** Cache-aside lookup: get; on a miss, fill with a plain SET (the `ttl` and `delete` read side). */
export async function plainLookup(
  cache: CacheStrategy,
  observer: ConsistencyObserver,
  key: string,
): Promise<Lookup> {
  const hit = await cache.get(key);
  if (hit !== undefined) return { hit };
  return {
    async fill(value, ttlMs) {
      await cache.set(key, value, ttlMs);
      observer.event('fill_stored');
      return true;
    },
  };
}
