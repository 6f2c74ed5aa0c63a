import type { WorkloadName, WorkloadSpec } from '../../loadtests/workload.ts';
import {
  addMasterSlots,
  initialSlotTable,
  movedSlotShare,
  removeMasterSlots,
} from './cluster-slots.ts';
import {
  createKeySpace,
  type KeySpace,
  ketamaOwners,
  moduloOwners,
  movedShare,
  nodeNames,
  slotOwners,
} from './routing.ts';
import {
  cloneTier,
  createTier,
  resizeWithMigration,
  resizeWithoutMigration,
  type ShardedTier,
  tierModel,
} from './sharded-tier.ts';
import { checkInteger, type RecordedStream, recordStream } from './stream.ts';
import { replay } from './tier-models.ts';

/** How keys map to cache nodes: nginx-style crc32 modulo, a hashring ketama ring, Redis Cluster slots. */
export const RESIZE_SCHEMES = ['modulo', 'ketama', 'cluster-slots'] as const;
/** One key-to-node scheme. */
export type ResizeScheme = (typeof RESIZE_SCHEMES)[number];

/** What one resize (N → N±1) costs under one scheme. */
export interface ResizeFigures {
  scheme: ResizeScheme;
  from: number;
  to: number;
  /** Share of the key space whose node changed. */
  movedKeyShare: number;
  /** The textbook share: modulo N/(N+1) or (N−1)/N; ketama and slots 1/(N+1) or 1/N. */
  expectedMovedShare: number;
  /** cluster-slots only: share of the 16384 slots reassigned by the rebalance. */
  movedSlotShare: number | null;
  /** cluster-slots only: cache entries migrated with their slots. */
  migratedEntries: number;
  /** Hit ratio over the window just before the change. */
  hitRatioBefore: number;
  /** Hit ratio over successive windows after the change; the first is the dip window. */
  hitRatioAfter: number[];
  /** hitRatioBefore − hitRatioAfter[0]: the dip right after the change. */
  dip: number;
}

/** Resolved settings of a resize simulation. */
export interface ResizeSettings {
  workload: WorkloadName | WorkloadSpec;
  keyCount: number;
  warmupRequests: number;
  /** Requests per measuring window (before, and each after the change). */
  windowRequests: number;
  recoveryWindows: number;
  /** Node counts N to resize from (to N+1, and to N−1 when N > 1). */
  nodes: number[];
  /** Entries of each cache node's LRU. */
  nodeEntries: number;
  seed: number;
}

/** Options of simulateResize; any omitted field takes its default. */
export type ResizeOptions = Partial<ResizeSettings>;

/** Result of simulateResize: plain data, JSON-serialisable. */
export interface ResizeResult {
  settings: ResizeSettings;
  changes: ResizeFigures[];
}

/** Defaults: same stream as simulateScale, 10k-request windows, nodes of 10k entries. */
export const DEFAULT_RESIZE_SETTINGS: Readonly<ResizeSettings> = {
  workload: 'read-heavy',
  keyCount: 100_000,
  warmupRequests: 300_000,
  windowRequests: 10_000,
  recoveryWindows: 5,
  nodes: [2, 3, 4, 8],
  nodeEntries: 10_000,
  seed: 42,
};

/** Fills defaults and validates; throws a USAGE LabError on a bad value. */
export function resolveResizeSettings(options: ResizeOptions = {}): ResizeSettings {
  const s = { ...DEFAULT_RESIZE_SETTINGS, ...options };
  checkInteger('keyCount', s.keyCount, 1, 50_000_000);
  checkInteger('warmupRequests', s.warmupRequests, 0, 100_000_000);
  checkInteger('windowRequests', s.windowRequests, 1, 10_000_000);
  checkInteger('recoveryWindows', s.recoveryWindows, 1, 100);
  checkInteger('nodeEntries', s.nodeEntries, 1, 100_000_000);
  checkInteger('seed', s.seed, 0, 2 ** 32 - 1);
  for (const n of s.nodes) checkInteger('nodes', n, 1, 1024);
  return { ...s, nodes: [...s.nodes] };
}

interface Routing {
  before: Int32Array;
  after: Int32Array;
  movedSlotShare: number | null;
}

/** Owner table of n nodes before any change (cluster: `redis-cli --cluster create` ranges). */
function initialOwners(scheme: ResizeScheme, space: KeySpace, n: number): Int32Array {
  if (scheme === 'modulo') return moduloOwners(space, n);
  if (scheme === 'ketama') return ketamaOwners(space, nodeNames('cache', n));
  return slotOwners(space, initialSlotTable(n));
}

function routingFor(scheme: ResizeScheme, space: KeySpace, from: number, to: number): Routing {
  if (scheme !== 'cluster-slots') {
    const after = initialOwners(scheme, space, to);
    return { before: initialOwners(scheme, space, from), after, movedSlotShare: null };
  }
  const slots = initialSlotTable(from);
  const next = to > from ? addMasterSlots(slots, from) : removeMasterSlots(slots, from);
  const share = movedSlotShare(slots, next);
  return {
    before: slotOwners(space, slots),
    after: slotOwners(space, next),
    movedSlotShare: share,
  };
}

function expectedShare(scheme: ResizeScheme, from: number, to: number): number {
  if (scheme === 'modulo') return to > from ? from / to : to / from;
  return to > from ? 1 / to : 1 / from;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

function windowHitRatio(
  tier: ShardedTier,
  stream: RecordedStream,
  from: number,
  to: number,
): number {
  const c = replay(tierModel(tier), stream, from, to);
  return c.reads === 0 ? 0 : round6(c.l2Hits / c.reads);
}

interface Scenario {
  s: ResizeSettings;
  stream: RecordedStream;
  space: KeySpace;
}

function movedShares(scheme: ResizeScheme, routing: Routing, from: number, to: number) {
  return {
    movedKeyShare: round6(movedShare(routing.before, routing.after)),
    expectedMovedShare: round6(expectedShare(scheme, from, to)),
    movedSlotShare: routing.movedSlotShare === null ? null : round6(routing.movedSlotShare),
  };
}

/** Applies the change; only cluster slots migrate entries. Returns the entries migrated. */
function applyChange(
  scheme: ResizeScheme,
  tier: ShardedTier,
  to: number,
  owners: Int32Array,
): number {
  if (scheme === 'cluster-slots') return resizeWithMigration(tier, to, owners);
  resizeWithoutMigration(tier, to, owners);
  return 0;
}

function measureChange(
  sc: Scenario,
  warm: ShardedTier,
  scheme: ResizeScheme,
  to: number,
): ResizeFigures {
  const { s, stream } = sc;
  const from = warm.caches.length;
  const routing = routingFor(scheme, sc.space, from, to);
  const tier = cloneTier(warm);
  const start = s.warmupRequests + s.windowRequests;
  const hitRatioBefore = windowHitRatio(tier, stream, s.warmupRequests, start);
  const migratedEntries = applyChange(scheme, tier, to, routing.after);
  const hitRatioAfter = Array.from({ length: s.recoveryWindows }, (_, w) =>
    windowHitRatio(tier, stream, start + w * s.windowRequests, start + (w + 1) * s.windowRequests),
  );
  const dip = round6(hitRatioBefore - (hitRatioAfter[0] ?? 0));
  const shares = movedShares(scheme, routing, from, to);
  return { scheme, from, to, ...shares, migratedEntries, hitRatioBefore, hitRatioAfter, dip };
}

function changesFor(sc: Scenario, scheme: ResizeScheme, nodes: number): ResizeFigures[] {
  const owners = initialOwners(scheme, sc.space, nodes);
  const warm = createTier(nodes, sc.s.nodeEntries, owners);
  replay(tierModel(warm), sc.stream, 0, sc.s.warmupRequests);
  const targets = nodes > 1 ? [nodes + 1, nodes - 1] : [nodes + 1];
  return targets.map((to) => measureChange(sc, warm, scheme, to));
}

/**
 * For each N and scheme: warm a tier of N LRU nodes on the seeded stream, measure a window, resize
 * to N+1 (and N−1), then measure successive windows. Modulo and ketama lose moved keys' entries;
 * cluster slots migrate them (`redis-cli --cluster rebalance`, minimum slots moved).
 */
export function simulateResize(options: ResizeOptions = {}): ResizeResult {
  const s = resolveResizeSettings(options);
  const total = s.warmupRequests + s.windowRequests * (1 + s.recoveryWindows);
  const sc: Scenario = { s, stream: recordStream(s, total), space: createKeySpace(s.keyCount) };
  const changes = s.nodes.flatMap((n) =>
    RESIZE_SCHEMES.flatMap((scheme) => changesFor(sc, scheme, n)),
  );
  return { settings: s, changes };
}
