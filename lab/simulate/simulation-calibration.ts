import {
  type ScaleRow,
  SIM_TOPOLOGIES,
  type SimTopology,
  type TierHitRatio,
} from './scale-simulation.ts';

/** Default calibration tolerance: ±0.08 absolute on each hit ratio (simulated vs measured). */
export const DEFAULT_CALIBRATION_TOLERANCE = 0.08;

/**
 * Tolerance on the stale-read rate: ±0.03 absolute. Tighter than on hit ratios because the rates
 * are small (0 for every correct topology), and a looser bound would pass any model.
 */
export const DEFAULT_STALE_TOLERANCE = 0.03;

/** CACHE_MODE names of measured runs mapped to the simulated layout they correspond to. */
export const DEFAULT_TOPOLOGY_ALIASES: Readonly<Record<string, SimTopology>> = {
  local: 'local-round-robin-local-invalidation',
  global: 'global',
  'global-cluster': 'global',
  'global-sharded': 'global',
  'two-tier': 'two-tier',
};

/** Hit ratios measured on a real run; a tier the topology lacks is null. */
export interface MeasuredHitRatio {
  /** A SimTopology name, a key of the aliases, or anything with `simulatedAs` set. */
  topology: string;
  simulatedAs?: SimTopology;
  hitRatio: { overall: number | null; l1: number | null; l2: number | null };
  /** Stale reads per checked read, when the run measured it. */
  staleReadRate?: number | null;
}

/** Simulated vs measured stale-read rate of one topology. */
export interface StaleComparison {
  simulated: number;
  measured: number;
  delta: number;
  withinTolerance: boolean;
}

/** Per-tier measured − simulated; null where either side lacks the tier. */
export interface TierDelta {
  overall: number | null;
  l1: number | null;
  l2: number | null;
}

/** One measured topology against the simulation. */
export interface CalibrationEntry {
  topology: string;
  simulatedAs: SimTopology | null;
  simulated: TierHitRatio | null;
  measured: MeasuredHitRatio['hitRatio'];
  delta: TierDelta | null;
  /** Null when the run has no stale-read rate or the topology no simulated counterpart. */
  staleReads: StaleComparison | null;
  /**
   * Every tier present on both sides is within ±tolerance and the stale-read rate within
   * ±staleTolerance (false if no tier could be compared).
   */
  withinTolerance: boolean;
}

/** The comparison, with the tolerance it used. */
export interface Calibration {
  servers: number;
  tolerance: number;
  staleTolerance: number;
  toleranceKind: 'absolute';
  entries: CalibrationEntry[];
}

function isSimTopology(name: string): name is SimTopology {
  return (SIM_TOPOLOGIES as readonly string[]).includes(name);
}

const diff = (measured: number | null, simulated: number | null): number | null =>
  measured === null || simulated === null ? null : Math.round((measured - simulated) * 1e6) / 1e6;

function compareStale(
  simulated: number | undefined,
  measured: number | null | undefined,
  tolerance: number,
): StaleComparison | null {
  if (simulated === undefined || measured === null || measured === undefined) return null;
  const delta = diff(measured, simulated) ?? 0;
  return { simulated, measured, delta, withinTolerance: Math.abs(delta) <= tolerance };
}

/** The tolerances of one comparison. */
interface Tolerances {
  tolerance: number;
  staleTolerance: number;
}

function compareOne(
  row: ScaleRow,
  m: MeasuredHitRatio,
  { tolerance, staleTolerance }: Tolerances,
  aliases: Readonly<Record<string, SimTopology>>,
): CalibrationEntry {
  const as = m.simulatedAs ?? (isSimTopology(m.topology) ? m.topology : aliases[m.topology]);
  if (as === undefined) {
    return {
      topology: m.topology,
      simulatedAs: null,
      simulated: null,
      measured: m.hitRatio,
      delta: null,
      staleReads: null,
      withinTolerance: false,
    };
  }
  const figures = row.topologies[as];
  const simulated = figures.hitRatio;
  const delta: TierDelta = {
    overall: diff(m.hitRatio.overall, simulated.overall),
    l1: diff(m.hitRatio.l1, simulated.l1),
    l2: diff(m.hitRatio.l2, simulated.l2),
  };
  const compared = [delta.overall, delta.l1, delta.l2].filter((d): d is number => d !== null);
  const staleReads = compareStale(figures.staleReadRate, m.staleReadRate, staleTolerance);
  const withinTolerance =
    compared.length > 0 &&
    compared.every((d) => Math.abs(d) <= tolerance) &&
    (staleReads?.withinTolerance ?? true);
  return {
    topology: m.topology,
    simulatedAs: as,
    simulated,
    measured: m.hitRatio,
    delta,
    staleReads,
    withinTolerance,
  };
}

function checkTolerance(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${value}`);
  return value;
}

/**
 * Compares measured hit ratios and stale-read rates with the simulation at the same server count
 * (normally the N=3 row): per topology, simulated vs measured per tier, delta, and whether all are
 * within ±tolerance (±staleTolerance for the stale-read rate).
 */
export function compareWithMeasured(
  simulatedAtN3: ScaleRow,
  measured: readonly MeasuredHitRatio[],
  tolerance: number = DEFAULT_CALIBRATION_TOLERANCE,
  aliases: Readonly<Record<string, SimTopology>> = DEFAULT_TOPOLOGY_ALIASES,
  staleTolerance: number = DEFAULT_STALE_TOLERANCE,
): Calibration {
  const tolerances = {
    tolerance: checkTolerance('tolerance', tolerance),
    staleTolerance: checkTolerance('staleTolerance', staleTolerance),
  };
  return {
    servers: simulatedAtN3.servers,
    ...tolerances,
    toleranceKind: 'absolute',
    entries: measured.map((m) => compareOne(simulatedAtN3, m, tolerances, aliases)),
  };
}
