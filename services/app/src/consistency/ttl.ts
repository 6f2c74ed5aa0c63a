import type { CacheStrategy } from '../cache/types.ts';
import { plainLookup } from './plain-fill.ts';
import type { ConsistencyMode, ConsistencyObserver } from './types.ts';

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
