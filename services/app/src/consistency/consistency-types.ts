import type pg from 'pg';
import type { CacheHit } from '../cache/cache-types.ts';
import type { ConsistencyName } from '../config.ts';

/** One committed profile write, as the consistency modes see it. */
export interface WriteRecord {
  key: string;
  id: number;
  /** The version the write committed. */
  version: number;
}

/** Stores a loaded value if the mode allows it now; true when it was stored. */
export type Fill = (value: Buffer, ttlMs: number) => Promise<boolean>;

/**
 * What a read's cache lookup found: a hit, or a miss with the fill it may do. A miss without a fill
 * reads through without storing (a lease held elsewhere did not finish in time).
 */
export interface Lookup {
  hit?: CacheHit;
  fill?: Fill;
  /** Gives up the fill without storing (the load failed or was overtaken), freeing a held lease. */
  release?: () => Promise<void>;
}

/** Events the modes report (a bounded label set). */
export type ConsistencyEvent =
  | 'lease_granted'
  | 'lease_busy'
  | 'lease_wait_hit'
  | 'lease_wait_expired'
  | 'lease_released'
  | 'fill_stored'
  | 'fill_refused'
  | 'invalidate_ok'
  | 'invalidate_failed'
  | 'invalidate_retried'
  | 'outbox_recorded';

/** Where the modes report; metrics.ts implements it, tests record it. */
export interface ConsistencyObserver {
  event(event: ConsistencyEvent): void;
}

/** A silent observer for code paths that do not measure. */
export const silentConsistencyObserver: ConsistencyObserver = { event() {} };

/**
 * One consistency mode: how reads fill the cache and how writes reach it. Each mode lives in its
 * own module under consistency/; `outbox+lease` combines the lease read side with the outbox write side.
 */
export interface ConsistencyMode {
  readonly name: ConsistencyName;
  /** False for `ttl`: writes never touch the cache. */
  readonly invalidates: boolean;
  /** Looks a key up for a read; throws CacheError when the cache is unusable. */
  lookup(key: string): Promise<Lookup>;
  /** Runs inside the write's transaction, after the update (the outbox rows). */
  recordWrite(tx: pg.ClientBase, write: WriteRecord): Promise<void>;
  /** Runs after the commit; throws CacheError when the cache could not take it. */
  invalidate(write: WriteRecord): Promise<void>;
}
