import type { CacheStrategy } from '../cache/cache-types.ts';
import type { ConsistencyMode, ConsistencyObserver } from './consistency-types.ts';
import { plainLookup } from './plain-fill.ts';

/** `ttl`: writes never touch the cache; an entry is stale until its TTL (the baseline). */
export function createTtlMode(
  cache: CacheStrategy,
  observer: ConsistencyObserver,
): ConsistencyMode {
  return {
    name: 'ttl',
    invalidates: false,
    lookup: (key) => plainLookup(cache, observer, key),
    async recordWrite() {},
    async invalidate() {},
  };
}
