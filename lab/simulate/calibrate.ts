import { type ScaleRow, SIM_TOPOLOGIES, type SimTopology, type TierHitRatio } from './scale.ts';

/** Default calibration tolerance: ±0.08 absolute on each hit ratio (simulated vs measured). */
export const DEFAULT_CALIBRATION_TOLERANCE = 0.08;

/** CACHE_MODE names of measured runs mapped to the simulated layout they correspond to. */
export const DEFAULT_TOPOLOGY_ALIASES: Readonly<Record<string, SimTopology>> = {
  local: 'local-round-robin',
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
  /** Every tier present on both sides is within ±tolerance (false if none could be compared). */
  withinTolerance: boolean;
}

/** The comparison, with the tolerance it used. */
export interface Calibration {
  servers: number;
  tolerance: number;
  toleranceKind: 'absolute';
  entries: CalibrationEntry[];
}

function isSimTopology(name: string): name is SimTopology {
  return (SIM_TOPOLOGIES as readonly string[]).includes(name);
}

const diff = (measured: number | null, simulated: number | null): number | null =>
  measured === null || simulated === null ? null : Math.round((measured - simulated) * 1e6) / 1e6;

function compareOne(
  row: ScaleRow,
  m: MeasuredHitRatio,
  tolerance: number,
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
      withinTolerance: false,
    };
  }
  const simulated = row.topologies[as].hitRatio;
  const delta: TierDelta = {
    overall: diff(m.hitRatio.overall, simulated.overall),
    l1: diff(m.hitRatio.l1, simulated.l1),
    l2: diff(m.hitRatio.l2, simulated.l2),
  };
  const compared = [delta.overall, delta.l1, delta.l2].filter((d): d is number => d !== null);
  const withinTolerance = compared.length > 0 && compared.every((d) => Math.abs(d) <= tolerance);
  return {
    topology: m.topology,
    simulatedAs: as,
    simulated,
    measured: m.hitRatio,
    delta,
    withinTolerance,
  };
}

/**
 * Compares measured hit ratios with the simulation at the same server count (normally the N=3 row):
 * per topology, simulated vs measured per tier, delta, and whether all are within ±tolerance.
 */
export function compareWithMeasured(
  simulatedAtN3: ScaleRow,
  measured: readonly MeasuredHitRatio[],
  tolerance: number = DEFAULT_CALIBRATION_TOLERANCE,
  aliases: Readonly<Record<string, SimTopology>> = DEFAULT_TOPOLOGY_ALIASES,
): Calibration {
  if (!(tolerance >= 0 && tolerance <= 1))
    throw new RangeError(`tolerance must be in [0, 1], got ${tolerance}`);
  return {
    servers: simulatedAtN3.servers,
    tolerance,
    toleranceKind: 'absolute',
    entries: measured.map((m) => compareOne(simulatedAtN3, m, tolerance, aliases)),
  };
}
