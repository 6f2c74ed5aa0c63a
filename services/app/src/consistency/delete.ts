import type { CacheStrategy } from '../cache/cache-types.ts';
import type { ConsistencyMode, ConsistencyObserver } from './consistency-types.ts';
import { plainLookup } from './plain-fill.ts';

/**
 * `delete`: cache-aside with a best-effort DEL after the commit. A failed DEL, or a reader that
 * loaded the old version and stores it after the DEL, leaves a stale entry until its TTL.
 */
export function createDeleteMode(
  cache: CacheStrategy,
  observer: ConsistencyObserver,
): ConsistencyMode {
  return {
    name: 'delete',
    invalidates: true,
    lookup: (key) => plainLookup(cache, observer, key),
    async recordWrite() {},
    invalidate: ({ key }) => deleteKey(cache, observer, key),
  };
}

/** DEL (everywhere the strategy is responsible for), counted. */
export async function deleteKey(
  cache: CacheStrategy,
  observer: ConsistencyObserver,
  key: string,
): Promise<void> {
  try {
    await cache.invalidate(key);
    observer.event('invalidate_ok');
  } catch (error) {
    observer.event('invalidate_failed');
    throw error;
  }
}
