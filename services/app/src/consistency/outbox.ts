import type { CacheStrategy, SharedOps } from '../cache/cache-types.ts';
import { readProfileVersion } from '../cache/profile-version.ts';
import type {
  ConsistencyMode,
  ConsistencyObserver,
  Lookup,
  WriteRecord,
} from './consistency-types.ts';
import { type LeaseSettings, leaseLookup } from './lease.ts';
import { recordInvalidation } from './outbox-store.ts';

/** Outbox settings: how long a tombstone vetoes older fills (TOMBSTONE_TTL_MS). */
export interface OutboxSettings {
  tombstoneTtlMs: number;
}

/** A fill is dropped when its load began this close to the tombstone lifetime ago. */
const FILL_MARGIN_MS = 1_000;

/**
 * Cache-aside lookup whose fill is version-guarded: it is refused when the key holds a tombstone (or
 * value) of a newer version, so a reader that loaded the old version cannot store it after the write.
 */
export async function versionedLookup(
  cache: CacheStrategy,
  ops: SharedOps,
  settings: OutboxSettings,
  observer: ConsistencyObserver,
  key: string,
): Promise<Lookup> {
  const hit = await cache.get(key);
  if (hit !== undefined) return { hit };
  const startedAt = performance.now();
  return {
    async fill(value, ttlMs) {
      const version = readProfileVersion(value);
      // A load that outlived the tombstone may have read a version the tombstone no longer vetoes.
      const late = performance.now() - startedAt > settings.tombstoneTtlMs - FILL_MARGIN_MS;
      const stored =
        version !== undefined && !late && (await ops.versionedSet(key, value, version, ttlMs));
      observer.event(stored ? 'fill_stored' : 'fill_refused');
      return stored;
    },
  };
}

/** Writes the tombstone of a committed write (the app's own immediate pass; the invalidator retries). */
async function tombstone(
  ops: SharedOps,
  settings: OutboxSettings,
  observer: ConsistencyObserver,
  write: WriteRecord,
): Promise<void> {
  try {
    await ops.tombstone(write.key, write.version, settings.tombstoneTtlMs);
    observer.event('invalidate_ok');
  } catch (error) {
    observer.event('invalidate_failed');
    throw error;
  }
}

/**
 * `outbox` (and `outbox+lease` with `lease` settings): the write inserts its invalidation row in
 * its own transaction; after the commit the app writes a tombstone at once, and the invalidator
 * process applies every row again until it took effect, so a failed DEL is never lost.
 */
export function createOutboxMode(
  cache: CacheStrategy,
  ops: SharedOps,
  settings: OutboxSettings & { lease?: LeaseSettings | undefined },
  observer: ConsistencyObserver,
): ConsistencyMode {
  const { lease } = settings;
  return {
    name: lease === undefined ? 'outbox' : 'outbox+lease',
    invalidates: true,
    lookup: (key) =>
      lease === undefined
        ? versionedLookup(cache, ops, settings, observer, key)
        : leaseLookup(ops, lease, observer, key),
    async recordWrite(tx, write) {
      await recordInvalidation(tx, write);
      observer.event('outbox_recorded');
    },
    invalidate: (write) => tombstone(ops, settings, observer, write),
  };
}
