import type { WorkloadName, WorkloadSpec } from '../../loadtests/workload.ts';
import { createKeySpace, ketamaOwners, nodeNames } from './routing.ts';
import { checkInteger, type RecordedStream, recordStream } from './stream.ts';
import {
  byOwner,
  type CacheModel,
  type Counters,
  globalModel,
  localModel,
  replay,
  roundRobin,
  twoTierModel,
} from './tier-models.ts';

/** The cache layouts simulated at every server count. */
export const SIM_TOPOLOGIES = [
  'local-round-robin',
  'local-round-robin-local-invalidation',
  'local-consistent-hash',
  'global',
  'two-tier',
] as const;
/** One simulated cache layout. */
export type SimTopology = (typeof SIM_TOPOLOGIES)[number];

/** Hit ratio per tier; null where the layout has no such tier. l2 is conditional on an L1 miss. */
export interface TierHitRatio {
  l1: number | null;
  l2: number | null;
  overall: number;
}

/** What one layout costs at one server count. */
export interface TopologyFigures {
  hitRatio: TierHitRatio;
  /** Database reads (cache misses) per request, writes included in the requests. */
  dbReadsPerRequest: number;
  /** Reads that returned a copy older than the key's last write, per read (the lab's definition). */
  staleReadRate: number;
  counters: Counters;
}

/** All layouts at one server count. */
export interface ScaleRow {
  servers: number;
  topologies: Record<SimTopology, TopologyFigures>;
}

/** Resolved settings of a scale simulation (all defaults filled in). */
export interface ScaleSettings {
  /** A built-in workload name, or a spec (e.g. read-only, to isolate routing from invalidation). */
  workload: WorkloadName | WorkloadSpec;
  keyCount: number;
  warmupRequests: number;
  measuredRequests: number;
  servers: number[];
  /** Entries of each per-server LRU (local caches, two-tier L1). */
  cacheEntries: number;
  /** Entries of the shared LRU (global cache, two-tier L2). */
  globalEntries: number;
  /**
   * L1 lifetime in requests for the local-only invalidation layout, where the TTL is what ends a
   * stale copy (0 = never). The layouts that invalidate correctly ignore it: there it only adds
   * the odd refill of a hot key.
   */
  l1TtlRequests: number;
  /** First request whose writes the stale-read check knows (0 = all; see LocalModelOptions). */
  staleCheckFrom: number;
  seed: number;
}

/** Options of simulateScale; any omitted field takes its default. */
export type ScaleOptions = Partial<ScaleSettings>;

/** Result of simulateScale: plain data, JSON-serialisable. */
export interface ScaleResult {
  settings: ScaleSettings;
  rows: ScaleRow[];
}

/**
 * Defaults: 100k keys, 300k warm-up + 300k measured requests, L1 = app default 10k, global 30k,
 * L1 TTL = the app's 300 s at the demo's 150 req/s.
 */
export const DEFAULT_SCALE_SETTINGS: Readonly<ScaleSettings> = {
  workload: 'read-heavy',
  keyCount: 100_000,
  warmupRequests: 300_000,
  measuredRequests: 300_000,
  servers: [1, 2, 3, 4, 8, 16, 32, 64],
  cacheEntries: 10_000,
  // Same memory as three default L1s, so N=3 compares layouts at equal total size.
  globalEntries: 30_000,
  l1TtlRequests: 45_000,
  staleCheckFrom: 0,
  seed: 42,
};

/** Fills defaults and validates; throws a USAGE LabError on a bad value. */
export function resolveScaleSettings(options: ScaleOptions = {}): ScaleSettings {
  const s = { ...DEFAULT_SCALE_SETTINGS, ...options };
  checkInteger('keyCount', s.keyCount, 1, 50_000_000);
  checkInteger('warmupRequests', s.warmupRequests, 0, 100_000_000);
  checkInteger('measuredRequests', s.measuredRequests, 1, 100_000_000);
  checkInteger('cacheEntries', s.cacheEntries, 1, 100_000_000);
  checkInteger('globalEntries', s.globalEntries, 1, 100_000_000);
  checkInteger('l1TtlRequests', s.l1TtlRequests, 0, 1_000_000_000);
  checkInteger('staleCheckFrom', s.staleCheckFrom, 0, 1_000_000_000);
  checkInteger('seed', s.seed, 0, 2 ** 32 - 1);
  for (const n of s.servers) checkInteger('servers', n, 1, 1024);
  return { ...s, servers: [...s.servers] };
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : round6(part / whole));

/** Turns counters into per-tier hit ratios for a layout. */
export function figuresOf(topology: SimTopology, c: Counters): TopologyFigures {
  const hasL1 = topology !== 'global';
  const hasL2 = topology === 'global' || topology === 'two-tier';
  return {
    hitRatio: {
      l1: hasL1 ? ratio(c.l1Hits, c.reads) : null,
      l2: hasL2 ? ratio(c.l2Hits, c.reads - c.l1Hits) : null,
      overall: ratio(c.l1Hits + c.l2Hits, c.reads),
    },
    dbReadsPerRequest: ratio(c.dbReads, c.reads + c.writes),
    staleReadRate: ratio(c.staleReads, c.reads),
    counters: c,
  };
}

function measure(model: CacheModel, s: ScaleSettings, stream: RecordedStream): Counters {
  replay(model, stream, 0, s.warmupRequests);
  return replay(model, stream, s.warmupRequests, s.warmupRequests + s.measuredRequests);
}

// Two-tier's L1 is exactly local round-robin (L1 fills and invalidations never depend on L2), so
// one replay gives both; the global cache ignores N, so it is replayed once for all rows.
function l1Only(c: Counters): Counters {
  return {
    reads: c.reads,
    writes: c.writes,
    l1Hits: c.l1Hits,
    l2Hits: 0,
    dbReads: c.reads - c.l1Hits,
    staleReads: c.staleReads,
  };
}

function simulateRow(
  s: ScaleSettings,
  stream: RecordedStream,
  servers: number,
  owners: Int32Array,
  global: Counters,
): ScaleRow {
  const l1 = s.cacheEntries;
  const twoTier = measure(
    twoTierModel(servers, l1, s.globalEntries, roundRobin(servers)),
    s,
    stream,
  );
  const hashed = measure(localModel(servers, l1, byOwner(owners)), s, stream);
  const localOnly = measure(
    localModel(servers, l1, roundRobin(servers), {
      invalidation: 'local-only',
      ttlRequests: s.l1TtlRequests,
      staleCheckFrom: s.staleCheckFrom,
    }),
    s,
    stream,
  );
  return {
    servers,
    topologies: {
      'local-round-robin': figuresOf('local-round-robin', l1Only(twoTier)),
      'local-round-robin-local-invalidation': figuresOf(
        'local-round-robin-local-invalidation',
        localOnly,
      ),
      'local-consistent-hash': figuresOf('local-consistent-hash', hashed),
      global: figuresOf('global', { ...global }),
      'two-tier': figuresOf('two-tier', twoTier),
    },
  };
}

/**
 * Replays one seeded request stream (warm-up, then measured) through every layout at every server
 * count. nginx's `hash … consistent` is modelled by a hashring ketama ring over app-1..app-N.
 */
export function simulateScale(options: ScaleOptions = {}): ScaleResult {
  const s = resolveScaleSettings(options);
  const stream = recordStream(s, s.warmupRequests + s.measuredRequests);
  const space = createKeySpace(s.keyCount);
  const global = measure(globalModel(s.globalEntries), s, stream);
  const rows = s.servers.map((n) =>
    simulateRow(s, stream, n, ketamaOwners(space, nodeNames('app', n)), global),
  );
  return { settings: s, rows };
}

/** The row of a result at a server count (e.g. 3 for calibration), if it was simulated. */
export function scaleRowAt(result: ScaleResult, servers: number): ScaleRow | undefined {
  return result.rows.find((row) => row.servers === servers);
}
