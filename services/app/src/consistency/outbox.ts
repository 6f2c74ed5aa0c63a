import { setTimeout as sleep } from 'node:timers/promises';
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

/** Longest pause between two attempts of a write's own tombstone. */
const RETRY_PAUSE_MAX_MS = 100;

/**
 * Writes the tombstone of a committed write before the write is acknowledged, retrying a failed
 * attempt (a timeout, a dropped or re-dialling connection) for up to `writeWaitMs`: an
 * acknowledgement that preceded its invalidation would let a later read, on any server, return the
 * old value until the invalidator caught up. Past the bound it throws; the invalidator applies the row.
 */
async function tombstone(
  ops: SharedOps,
  settings: OutboxSettings & { writeWaitMs: number },
  observer: ConsistencyObserver,
  write: WriteRecord,
): Promise<void> {
  const deadline = performance.now() + settings.writeWaitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      await ops.tombstone(write.key, write.version, settings.tombstoneTtlMs);
      observer.event('invalidate_ok');
      return;
    } catch (error) {
      const left = deadline - performance.now();
      if (left <= 0) {
        observer.event('invalidate_failed');
        throw error;
      }
      observer.event('invalidate_retried');
      await sleep(Math.min(5 * 2 ** Math.min(attempt, 10), RETRY_PAUSE_MAX_MS, left));
    }
  }
}

/**
 * `outbox` (and `outbox+lease` with `lease` settings): the write inserts its invalidation row in
 * its own transaction; after the commit the app writes a tombstone (retried for up to `writeWaitMs`
 * before the acknowledgement), and the invalidator process applies every row again until it took
 * effect, so a failed DEL is never lost.
 */
export function createOutboxMode(
  cache: CacheStrategy,
  ops: SharedOps,
  settings: OutboxSettings & { writeWaitMs: number; lease?: LeaseSettings | undefined },
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
