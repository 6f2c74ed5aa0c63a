import { readProfileVersion } from '../cache/profile-version.ts';

/** The current version of each profile id (the repository's loadVersions). */
export type VersionSource = (ids: number[]) => Promise<Map<number, { version: number }>>;

/**
 * After a cache error, cache hits are checked against Postgres for a while: an invalidation the
 * error delayed (a write acknowledged while its tombstone could not land, a promoted replica or a
 * restarted node that never saw it) is pending in the outbox until the invalidator applies it, and
 * meanwhile the cached value may be older than the database. A hit found older is read as a miss.
 */
export interface HitCheck {
  /** A cache operation failed: hits are checked for the next `holdMs`. */
  noteCacheError(): void;
  /** False when `key`'s cached body is older than the database's row (checked only while suspect). */
  fresh(key: string, body: Buffer): Promise<boolean>;
}

/** Options of the check (VERIFY_HITS_AFTER_ERROR_MS). */
export interface HitCheckOptions {
  holdMs: number;
  versions: VersionSource;
  /** The profile id of a cache key, undefined for a key that is not a profile's. */
  idOf(key: string): number | undefined;
  now?: () => number;
}

/** Creates the check; it costs one primary-key query per hit, and only after a cache error. */
export function createHitCheck(options: HitCheckOptions): HitCheck {
  const now = options.now ?? (() => performance.now());
  let suspectUntil = Number.NEGATIVE_INFINITY;
  return {
    noteCacheError() {
      suspectUntil = now() + options.holdMs;
    },
    async fresh(key, body) {
      if (now() >= suspectUntil) return true;
      const id = options.idOf(key);
      const cached = readProfileVersion(body);
      if (id === undefined || cached === undefined) return true;
      try {
        const current = (await options.versions([id])).get(id)?.version;
        return current === undefined || cached >= current;
      } catch {
        // The database cannot say: the hit is the best answer there is (a cache shields its outage).
        return true;
      }
    },
  };
}
