/** The tier a value came from: L1 is in-process (RAM or disk), L2 is a shared network cache. */
export type CacheTier = 'l1' | 'l2';

/** What a profile response reports in X-Cache (STALE: a grace read while the database failed). */
export type CacheResult = 'HIT-L1' | 'HIT-L2' | 'MISS' | 'BYPASS' | 'STALE';

/** A cached value and the tier that answered. Values are the exact bytes sent on the wire. */
export interface CacheHit {
  value: Buffer;
  tier: CacheTier;
}

/** Point-in-time size of a strategy's local tier, for gauges. */
export interface LocalTierStats {
  entries: number;
  bytes: number;
}

/**
 * One cache strategy. Each lives in its own module under cache/ and is built by a factory.
 * Implementations throw CacheError on backend failure; the read path decides to fall back.
 */
export interface CacheStrategy {
  readonly name: string;
  /** True when the strategy never stores anything (mode none): the read path reports BYPASS. */
  readonly passthrough?: boolean;
  /** Returns the cached bytes and their tier, or undefined on a miss. */
  get(key: string): Promise<CacheHit | undefined>;
  /** Stores bytes for ttlMs (the caller applies jitter). */
  set(key: string, value: Buffer, ttlMs: number): Promise<void>;
  /** Removes the key everywhere this strategy is responsible for (two-tier also broadcasts). */
  invalidate(key: string): Promise<void>;
  /** Throws when the backend is unreachable; used by /readyz. */
  ping(): Promise<void>;
  /** Local tier size, when the strategy has one. */
  localStats(): LocalTierStats | undefined;
  /** Guarded single-key operations, when the strategy has a shared Redis tier. */
  readonly shared?: SharedOps;
  /** Every tier's copy of a key, without side effects on recency or metrics (the staleness audit). */
  peek?(key: string): Promise<CacheHit[]>;
  /** Releases connections and files. Safe to call twice. */
  close(): Promise<void>;
}

/** What a lease lookup found: a value, a lease granted to the caller, or another filler's lease. */
export type LeaseReply = { kind: 'hit'; hit: CacheHit } | { kind: 'granted' } | { kind: 'busy' };

/** A last known value kept for grace, with when it was loaded from the database. */
export interface GraceCopy {
  value: Buffer;
  loadedAtMs: number;
}

/**
 * Single-key operations run as Lua scripts in Redis (so they work on Cluster and on a client-side
 * ring): memcache-style leases, version-guarded fills, tombstones, and grace copies.
 */
export interface SharedOps {
  /** A value → hit; nothing or a tombstone → a lease under `token`; another's lease → busy. */
  leaseGet(key: string, token: string, leaseMs: number): Promise<LeaseReply>;
  /** Stores only while `token` is the key's current lease; false when refused. */
  leaseSet(key: string, token: string, value: Buffer, ttlMs: number): Promise<boolean>;
  /** Frees the key while `token` is still its lease (a filler that will not fill); false otherwise. */
  leaseRelease(key: string, token: string): Promise<boolean>;
  /** Stores unless the key holds a tombstone or a value of a newer version; false when refused. */
  versionedSet(key: string, value: Buffer, version: number, ttlMs: number): Promise<boolean>;
  /** Replaces a value or lease with a tombstone of `version` (a value at least that new stays). */
  tombstone(key: string, version: number, ttlMs: number): Promise<void>;
  /** Keeps a grace copy of a loaded value for `ttlMs`. */
  keepGrace(key: string, copy: GraceCopy, ttlMs: number): Promise<void>;
  /** The grace copy of a key, if any. */
  recallGrace(key: string): Promise<GraceCopy | undefined>;
}

/** A hit from a shared tier with its remaining lifetime, so an L1 copy never outlives it. */
export interface SharedTierHit extends CacheHit {
  ttlMs: number;
}

/** A shared (network) tier that can also report a hit's remaining lifetime; used as two-tier L2. */
export interface SharedTierStrategy extends CacheStrategy {
  /** Like get, plus the remaining TTL in ms (the value and TTL are read in one round trip). */
  getWithTtl(key: string): Promise<SharedTierHit | undefined>;
  readonly shared: SharedOps;
  peek(key: string): Promise<CacheHit[]>;
}

/** Operations a strategy reports, for the cache_operations_total metric. */
export type CacheOperation = 'get' | 'set' | 'invalidate';
export type CacheOperationResult = 'hit' | 'miss' | 'ok' | 'error' | 'timeout';

/** What happened to an invalidation-bus message (a bounded metric label). */
export type InvalidationEvent = 'sent' | 'received' | 'confirmed' | 'unconfirmed';

/**
 * Hooks a strategy calls so metrics stay in one module (labels are bounded: never a key).
 * Built by metrics.ts; tests pass a recording fake.
 */
export interface CacheObserver {
  operation(
    tier: CacheTier,
    op: CacheOperation,
    result: CacheOperationResult,
    seconds: number,
  ): void;
  eviction(tier: CacheTier, reason: 'size' | 'ttl' | 'invalidate'): void;
  /** sent/received: bus messages; confirmed/unconfirmed: sent ones every subscriber acknowledged, or not in time. */
  invalidation(direction: InvalidationEvent): void;
  error(tier: CacheTier, error: unknown): void;
}

/** A no-op observer for code paths that do not measure. */
export const silentObserver: CacheObserver = {
  operation() {},
  eviction() {},
  invalidation() {},
  error() {},
};
