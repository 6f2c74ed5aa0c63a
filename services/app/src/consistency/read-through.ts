import type {
  CacheHit,
  CacheObserver,
  CacheResult,
  CacheStrategy,
  CacheTier,
} from '../cache/cache-types.ts';
import { CacheError, isAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import {
  type ConsistencyMode,
  type Lookup,
  silentConsistencyObserver,
} from './consistency-types.ts';
import type { Grace } from './grace.ts';
import type { HitCheck } from './hit-check.ts';
import { plainLookup } from './plain-fill.ts';

/** Options of the read path. */
export interface ReadThroughOptions {
  cache: CacheStrategy;
  /** Base TTL of a filled entry (CACHE_TTL_MS). */
  ttlMs: number;
  /** Jitter fraction (CACHE_TTL_JITTER): each entry lives ttlMs × (1 ± jitter/2). */
  jitter: number;
  /** Told about strategy failures that are not CacheError (a strategy bug); CacheErrors were already reported by the strategy. */
  observer?: CacheObserver;
  logger?: Logger;
  /** Source of randomness for jitter, in [0, 1) (default Math.random). */
  random?: () => number;
  /** How fills and invalidations work (default: plain cache-aside with DEL, the `delete` mode). */
  consistency?: ConsistencyMode;
  /** Stale-if-error store; without it a database failure fails the read. */
  grace?: Grace | undefined;
  /** Checks hits against the database for a while after a cache error (outbox modes). */
  hitCheck?: HitCheck | undefined;
}

/** One read's outcome: the bytes (undefined = not found), what the cache did, and where time went. */
export interface ReadResult {
  body?: Buffer;
  result: CacheResult;
  cacheMs: number;
  dbMs: number;
  /** Age of a STALE (grace) body in ms. */
  ageMs?: number;
}

/** Loads the authoritative bytes (undefined = not found). */
export type Loader = () => Promise<Buffer | undefined>;

/** The cache-aside read path plus the invalidation writes call after the database commit. */
export interface ReadThrough {
  /** Reads a key: cache, else one load per key at a time (waiters share it), then fill. */
  read(key: string, load: Loader): Promise<ReadResult>;
  /**
   * Invalidates a key after a write committed `version` (unknown: every fill is vetoed until the
   * tombstone expires); throws the strategy's CacheError if the cache could not take it.
   */
  invalidate(key: string, version?: number): Promise<void>;
}

interface Flight {
  promise?: Promise<ReadResult>;
  /** Set when the key was invalidated while this read was in flight: its value must not be stored. */
  invalidated: boolean;
  /** performance.now() when the database load began (unset: the answer came from the cache). */
  loadStartedAt?: number;
  /** performance.now() when a fill the mode then accepted was sent (no write had invalidated the key). */
  filledFrom?: number;
  /** Set when the mode refused the fill: a write overtook the load, whose value may be old. */
  overtaken?: boolean;
}

type Attempt<T> = { ok: true; value: T } | { ok: false };

/**
 * Creates the read path.
 * - Results: 'HIT-L1' / 'HIT-L2' from the tier that answered; 'MISS' when the cache answered "miss"
 *   and the loader ran; 'BYPASS' when the strategy is `none` or the cache lookup failed (the cache was
 *   unusable: the value is loaded and NOT written back, to spare a second timeout); 'STALE' when the
 *   database failed and grace served the last known value.
 * - The consistency mode does the lookup and says whether and how a loaded value may be stored
 *   (plain SET, a lease token, a version-guarded SET); a lease wait is part of the lookup.
 * - A cache failure never fails the read; a loader failure does (shared by all waiters), unless
 *   grace has a last known value for a DATABASE_UNAVAILABLE failure.
 * - Not-found (loader returns undefined) is not cached. A miss that does not fill (not found, load
 *   failed, invalidated in flight) releases what its lookup holds, so a lease never outlives it.
 * - Single-flight per key on this server: concurrent reads of a key share one lookup, one load and
 *   one fill; the flight ends after the fill, so a later read finds the value cached.
 * - An invalidate during a flight cancels its fill and detaches it (later reads start afresh); a
 *   read that joined a flight reuses its answer only when that answer cannot predate the read (see
 *   sharesFreshly), else it reads again, once: a write elsewhere may have been acknowledged between.
 */
export function createReadThrough(options: ReadThroughOptions): ReadThrough {
  const { cache } = options;
  const flights = new Map<string, Flight>();
  const mode = options.consistency ?? defaultMode(cache);
  const path: CachePath = {
    mode,
    grace: options.grace,
    hitCheck: options.hitCheck,
    attempt: cacheAttempt(options),
    ttl: () => jitteredTtl(options.ttlMs, options.jitter, options.random ?? Math.random),
  };
  const start = (key: string, load: Loader): Promise<ReadResult> => {
    const existing = flights.get(key)?.promise;
    if (existing !== undefined) return existing;
    const flight: Flight = { invalidated: false };
    flight.promise = fly(path, key, load, flight).finally(() => {
      if (flights.get(key) === flight) flights.delete(key);
    });
    flights.set(key, flight);
    return flight.promise;
  };
  return {
    async read(key, load) {
      if (cache.passthrough === true) return bypass(load, options.grace, key);
      const arrivedAt = performance.now();
      const current = flights.get(key);
      if (current?.promise === undefined) return start(key, load);
      const shared = await current.promise;
      // The flight's cache answer (or the load that preceded this read) may predate a write another
      // server acknowledged before this read arrived: reuse it only when it is provably no older.
      return sharesFreshly(current, arrivedAt) ? shared : start(key, load);
    },
    async invalidate(key, version = Number.MAX_SAFE_INTEGER) {
      if (!mode.invalidates) return;
      const flight = flights.get(key);
      if (flight !== undefined) {
        flight.invalidated = true;
        flights.delete(key);
      }
      await mode.invalidate({ key, id: 0, version }).catch((error: unknown) => {
        options.hitCheck?.noteCacheError();
        throw error;
      });
    },
  };
}

/**
 * Whether a read that arrived at `arrivedAt` and joined `flight` may take its answer: when the
 * database load began after the read arrived, or when the mode accepted a fill sent after it arrived
 * (a write acknowledged before then had invalidated the key, so the mode would have refused it).
 * A cache hit read before the joiner arrived, or a load that began before it and did not fill, may
 * miss a write another server acknowledged in between, and a refused fill says a write overtook
 * the load: the joiner then reads again.
 */
function sharesFreshly(flight: Flight, arrivedAt: number): boolean {
  if (flight.overtaken === true) return false;
  const from = Math.max(flight.loadStartedAt ?? -1, flight.filledFrom ?? -1);
  return from >= arrivedAt;
}

function defaultMode(cache: CacheStrategy): ConsistencyMode {
  return {
    name: 'delete',
    invalidates: true,
    lookup: (key) => plainLookup(cache, silentConsistencyObserver, key),
    async recordWrite() {},
    invalidate: ({ key }) => cache.invalidate(key),
  };
}

/** What one flight needs: the mode, grace, the failure-absorbing wrapper, and the TTL source. */
interface CachePath {
  mode: ConsistencyMode;
  grace: Grace | undefined;
  hitCheck: HitCheck | undefined;
  attempt: <T>(run: () => Promise<T>) => Promise<Attempt<T>>;
  ttl: () => number;
}

/** One read: the mode's lookup; on a miss load, then fill (as the mode allows) unless invalidated. */
async function fly(
  path: CachePath,
  key: string,
  load: Loader,
  flight: Flight,
): Promise<ReadResult> {
  const { mode, attempt } = path;
  const timing = { cacheMs: 0, dbMs: 0 };
  const cached = await timed(timing, 'cacheMs', () => attempt(() => mode.lookup(key)));
  const lookup = cached.ok ? cached.value : undefined;
  const hit = lookup?.hit;
  if (hit !== undefined && (await freshHit(path, key, hit, timing))) {
    return { body: hit.value, result: hitResult(hit), ...timing };
  }
  const loadedAtMs = Date.now();
  flight.loadStartedAt = performance.now();
  let body: Buffer | undefined;
  try {
    body = await timed(timing, 'dbMs', load);
  } catch (error) {
    await timed(timing, 'cacheMs', () => giveUp(path, lookup));
    return graceOrThrow(path.grace, key, error, timing);
  }
  const fill = body !== undefined && !flight.invalidated ? lookup?.fill : undefined;
  if (fill === undefined) await timed(timing, 'cacheMs', () => giveUp(path, lookup));
  if (body !== undefined) {
    const loaded = { key, body, loadedAtMs, fill };
    const fillSentAt = performance.now();
    const stored = await timed(timing, 'cacheMs', () => storeLoaded(path, loaded));
    if (stored === true) flight.filledFrom = fillSentAt;
    if (stored === false) flight.overtaken = true;
  }
  return { body, result: cached.ok ? 'MISS' : 'BYPASS', ...timing };
}

/** Whether a hit may be served: always, unless the hit check finds it older than the database. */
async function freshHit(
  path: CachePath,
  key: string,
  hit: CacheHit,
  timing: { cacheMs: number; dbMs: number },
): Promise<boolean> {
  const check = path.hitCheck;
  if (check === undefined) return true;
  return timed(timing, 'dbMs', () => check.fresh(key, hit.value));
}

/** A miss that will not fill frees what its lookup holds (a lease), so others need not wait it out. */
async function giveUp(path: CachePath, lookup: Lookup | undefined): Promise<void> {
  const release = lookup?.release;
  if (release !== undefined) await path.attempt(release);
}

/** Fills (when allowed) and keeps the grace copy, side by side; cache failures are absorbed. */
async function storeLoaded(
  path: CachePath,
  loaded: { key: string; body: Buffer; loadedAtMs: number; fill: Lookup['fill'] },
): Promise<boolean | undefined> {
  const { key, body, fill } = loaded;
  const [filled] = await Promise.all([
    fill === undefined ? undefined : path.attempt(() => fill(body, path.ttl())),
    path.grace?.keep(key, body, loaded.loadedAtMs),
  ]);
  return filled?.ok === true ? filled.value : undefined;
}

/** A database failure: the last known value within grace (STALE), else the failure itself. */
async function graceOrThrow(
  grace: Grace | undefined,
  key: string,
  error: unknown,
  timing: { cacheMs: number; dbMs: number },
): Promise<ReadResult> {
  if (grace === undefined || !isAppError(error) || error.code !== 'DATABASE_UNAVAILABLE') {
    throw error;
  }
  const stale = await timed(timing, 'cacheMs', () => grace.recall(key));
  if (stale === undefined) throw error;
  return { body: stale.value, result: 'STALE', ageMs: stale.ageMs, ...timing };
}

/** ttlMs × (1 ± jitter/2), rounded, at least 1 ms. */
export function jitteredTtl(ttlMs: number, jitter: number, random: () => number): number {
  return Math.max(1, Math.round(ttlMs * (1 + (random() - 0.5) * jitter)));
}

/** Runs a cache call; a failure becomes `{ ok: false }` (reported unless the strategy already did). */
function cacheAttempt(options: ReadThroughOptions) {
  const tier: CacheTier = options.cache.name.startsWith('local') ? 'l1' : 'l2';
  return async <T>(run: () => Promise<T>): Promise<Attempt<T>> => {
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      options.hitCheck?.noteCacheError();
      if (!(error instanceof CacheError)) {
        options.observer?.error(tier, error);
        options.logger?.error({ err: error, strategy: options.cache.name }, 'cache strategy bug');
      }
      return { ok: false };
    }
  };
}

async function bypass(load: Loader, grace: Grace | undefined, key: string): Promise<ReadResult> {
  const timing = { cacheMs: 0, dbMs: 0 };
  const loadedAtMs = Date.now();
  try {
    const body = await timed(timing, 'dbMs', load);
    if (body !== undefined) await grace?.keep(key, body, loadedAtMs);
    return { body, result: 'BYPASS', ...timing };
  } catch (error) {
    return graceOrThrow(grace, key, error, timing);
  }
}

async function timed<T>(
  timing: { cacheMs: number; dbMs: number },
  field: 'cacheMs' | 'dbMs',
  run: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    timing[field] += performance.now() - started;
  }
}

function hitResult(hit: CacheHit): CacheResult {
  return hit.tier === 'l1' ? 'HIT-L1' : 'HIT-L2';
}
