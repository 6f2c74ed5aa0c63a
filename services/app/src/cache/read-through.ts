import { CacheError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { CacheHit, CacheObserver, CacheResult, CacheStrategy, CacheTier } from './types.ts';

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
}

/** One read's outcome: the bytes (undefined = not found), what the cache did, and where time went. */
export interface ReadResult {
  body?: Buffer;
  result: CacheResult;
  cacheMs: number;
  dbMs: number;
}

/** Loads the authoritative bytes (undefined = not found). */
export type Loader = () => Promise<Buffer | undefined>;

/** The cache-aside read path plus the invalidation writes call after the database commit. */
export interface ReadThrough {
  /** Reads a key: cache, else one load per key at a time (waiters share it), then fill. */
  read(key: string, load: Loader): Promise<ReadResult>;
  /** Removes a key after a write; throws the strategy's CacheError if the cache could not do it. */
  invalidate(key: string): Promise<void>;
}

interface Flight {
  promise?: Promise<ReadResult>;
  /** Set when the key was invalidated while this read was in flight: its value must not be stored. */
  invalidated: boolean;
}

type Attempt<T> = { ok: true; value: T } | { ok: false };

/**
 * Creates the read path.
 * - Results: 'HIT-L1' / 'HIT-L2' from the tier that answered; 'MISS' when the cache answered "miss"
 *   and the loader ran; 'BYPASS' when the strategy is `none` or the cache get failed (the cache was
 *   unusable: the value is loaded and NOT written back, to spare a second timeout).
 * - A cache failure never fails the read; a loader failure does (shared by all waiters).
 * - Not-found (loader returns undefined) is not cached.
 * - Single-flight per key on this server: concurrent reads of a key share one cache get, one load
 *   and one fill; the flight ends after the fill, so a later read finds the value cached.
 * - An invalidate during a flight cancels its fill and detaches it (later reads start afresh).
 */
export function createReadThrough(options: ReadThroughOptions): ReadThrough {
  const { cache } = options;
  const flights = new Map<string, Flight>();
  const path: CachePath = {
    cache,
    attempt: cacheAttempt(options),
    ttl: () => jitteredTtl(options.ttlMs, options.jitter, options.random ?? Math.random),
  };
  return {
    async read(key, load) {
      if (cache.passthrough === true) return bypass(load);
      const current = flights.get(key)?.promise;
      if (current !== undefined) return current;
      const flight: Flight = { invalidated: false };
      flight.promise = fly(path, key, load, flight).finally(() => {
        if (flights.get(key) === flight) flights.delete(key);
      });
      flights.set(key, flight);
      return flight.promise;
    },
    async invalidate(key) {
      const flight = flights.get(key);
      if (flight !== undefined) {
        flight.invalidated = true;
        flights.delete(key);
      }
      await cache.invalidate(key);
    },
  };
}

/** What one flight needs: the strategy, the failure-absorbing wrapper, and the TTL source. */
interface CachePath {
  cache: CacheStrategy;
  attempt: <T>(run: () => Promise<T>) => Promise<Attempt<T>>;
  ttl: () => number;
}

/** One cache-aside read: get; on a miss load, then fill unless invalidated meanwhile. */
async function fly(
  path: CachePath,
  key: string,
  load: Loader,
  flight: Flight,
): Promise<ReadResult> {
  const { cache, attempt } = path;
  const timing = { cacheMs: 0, dbMs: 0 };
  const cached = await timed(timing, 'cacheMs', () => attempt(() => cache.get(key)));
  if (cached.ok && cached.value !== undefined) {
    return { body: cached.value.value, result: hitResult(cached.value), ...timing };
  }
  const body = await timed(timing, 'dbMs', load);
  if (body !== undefined && cached.ok && !flight.invalidated) {
    await timed(timing, 'cacheMs', () => attempt(() => cache.set(key, body, path.ttl())));
  }
  return { body, result: cached.ok ? 'MISS' : 'BYPASS', ...timing };
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
      if (!(error instanceof CacheError)) {
        options.observer?.error(tier, error);
        options.logger?.error({ err: error, strategy: options.cache.name }, 'cache strategy bug');
      }
      return { ok: false };
    }
  };
}

async function bypass(load: Loader): Promise<ReadResult> {
  const timing = { cacheMs: 0, dbMs: 0 };
  const body = await timed(timing, 'dbMs', load);
  return { body, result: 'BYPASS', ...timing };
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
