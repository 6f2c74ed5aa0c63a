import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkloadName, WorkloadSpec } from '../../loadtests/workload.ts';
import type {
  CalibrationFigures,
  MeasuredTopology,
  SimulationFigures,
} from '../report/results-types.ts';
import { simulationSchema } from '../report/simulation-schema.ts';
import { type ResizeResult, simulateResize } from '../simulate/resize.ts';
import {
  type ScaleResult,
  type SimTopology,
  scaleRowAt,
  simulateScale,
} from '../simulate/scale-simulation.ts';
import { compareWithMeasured } from '../simulate/simulation-calibration.ts';
import { getTopology } from '../topology/catalog.ts';
import type { CompareSettings } from './compare-settings.ts';
import { SETTLE_SEC } from './warm-until-stable.ts';

/**
 * Catalog topologies and the simulated layout each corresponds to (local-single runs 1 server).
 * `local` and `local-disk` invalidate only the server that took a write, as the apps do.
 */
export const SIMULATED_AS: Readonly<Record<string, SimTopology>> = {
  local: 'local-round-robin-local-invalidation',
  'local-disk': 'local-round-robin-local-invalidation',
  'local-hash': 'local-consistent-hash',
  global: 'global',
  'global-cluster': 'global',
  'global-sharded': 'global',
  'two-tier': 'two-tier',
};

/** Servers of the calibration row: the catalog's multi-server topologies run 3. */
export const CALIBRATION_SERVERS = 3;

const workloadName = (w: WorkloadName | WorkloadSpec): string =>
  typeof w === 'string' ? w : w.name;

/** Entries of a topology's per-server cache: the LMDB cap for local-disk, the RAM LRU otherwise. */
function cacheEntriesOf(topology: string): number {
  const cache = getTopology(topology).cache;
  return cache.mode === 'local-disk' ? cache.diskMaxEntries : cache.l1MaxEntries;
}

/** A topology's L1 TTL counted in requests at the run's rate. */
function ttlRequestsOf(topology: string, rate: number): number {
  return Math.round((getTopology(topology).cache.ttlMs / 1000) * rate);
}

/**
 * The simulation settings that replay one measured topology's run, warm-up included. The lab's
 * stale-read check knows the writes of the measured load run only (its settle second and window).
 */
function replaySettings(s: CompareSettings, m: MeasuredTopology) {
  const warmupRequests = m.warmup?.requests ?? Math.round(s.warmupSec * s.rate);
  const checkedBefore = m.warmup ? Math.round(SETTLE_SEC * s.rate) : warmupRequests;
  return {
    workload: s.workload,
    keyCount: s.keyCount,
    warmupRequests,
    staleCheckFrom: Math.max(0, warmupRequests - checkedBefore),
    measuredRequests: Math.round(s.durationSec * s.rate),
    cacheEntries: cacheEntriesOf(m.topology),
    // Redis holds every seeded profile within its memory cap at these sizes.
    globalEntries: s.keyCount,
    l1TtlRequests: ttlRequestsOf(m.topology, s.rate),
    seed: s.seed,
  };
}

function calibrateOne(s: CompareSettings, m: MeasuredTopology) {
  const settings = replaySettings(s, m);
  const result = simulateScale({ ...settings, servers: [CALIBRATION_SERVERS] });
  const row = scaleRowAt(result, CALIBRATION_SERVERS);
  if (!row) throw new RangeError(`the simulation has no row at N=${CALIBRATION_SERVERS}`);
  const measured = {
    topology: m.topology,
    simulatedAs: SIMULATED_AS[m.topology],
    hitRatio: m.hitRatio,
    staleReadRate: m.staleReadRate,
  };
  return { settings, calibration: compareWithMeasured(row, [measured]) };
}

/**
 * Replays each measured topology's run (its own warm-up length and cache size, then the measured
 * window) through the simulator at 3 servers, and compares the hit ratios per tier and the
 * stale-read rate (null when no measured topology has a simulated counterpart).
 */
export function calibrationFor(
  s: CompareSettings,
  measured: readonly MeasuredTopology[],
): CalibrationFigures | null {
  const comparable = measured.filter(
    (m) => m.appServerCount === CALIBRATION_SERVERS && SIMULATED_AS[m.topology] !== undefined,
  );
  const runs = comparable.map((m) => calibrateOne(s, m));
  const first = runs[0];
  if (!first) return null;
  return {
    ...first.calibration,
    toleranceKind: 'absolute',
    settings: first.settings,
    entries: runs.flatMap(({ settings, calibration }) =>
      calibration.entries.map((e) => ({
        ...e,
        replay: {
          warmupRequests: settings.warmupRequests,
          measuredRequests: settings.measuredRequests,
          cacheEntries: settings.cacheEntries,
        },
      })),
    ),
  };
}

function scaleRows(scale: ScaleResult): SimulationFigures['scale'] {
  return scale.rows.map((row) => ({
    servers: row.servers,
    topologies: Object.fromEntries(
      Object.entries(row.topologies).map(([name, f]) => [
        name,
        {
          hitRatio: f.hitRatio,
          dbReadsPerRequest: f.dbReadsPerRequest,
          staleReadRate: f.staleReadRate,
        },
      ]),
    ) as SimulationFigures['scale'][number]['topologies'],
  }));
}

function figuresOf(source: string, scale: ScaleResult, resize: ResizeResult): SimulationFigures {
  // The figures record the settings minus the server list (the scale rows carry it).
  const { servers: _servers, workload, ...rest } = scale.settings;
  return {
    source,
    settings: { ...rest, workload: workloadName(workload) },
    scale: scaleRows(scale),
    resize: resize.changes.map((c) => ({
      scheme: c.scheme,
      from: c.from,
      to: c.to,
      movedKeyShare: c.movedKeyShare,
      expectedMovedShare: c.expectedMovedShare,
      hitRatioBefore: c.hitRatioBefore,
      dip: c.dip,
    })),
  };
}

/** What readSimulateFile found: figures, nothing, or why the file could not be used. */
type SimulateFile = { figures: SimulationFigures } | { figures: undefined; problem?: string };

/** Reads `cachelab simulate`'s latest.json (absent: no figures, no problem). */
async function readSimulateFile(path: string): Promise<SimulateFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { figures: undefined };
    return { figures: undefined, problem: `could not read ${path}: ${String(error)}` };
  }
  try {
    const report = JSON.parse(text) as {
      kind?: string;
      scale?: ScaleResult;
      resize?: ResizeResult;
    };
    if (report.kind !== 'cachelab-simulate' || !report.scale || !report.resize) {
      return { figures: undefined, problem: `${path} is not a cachelab simulate report` };
    }
    return { figures: simulationSchema.parse(figuresOf(path, report.scale, report.resize)) };
  } catch (error) {
    return { figures: undefined, problem: `${path} is not usable: ${String(error)}` };
  }
}

/** A smaller scale + resize simulation (a few seconds) for when no `cachelab simulate` file exists. */
export function computeSimulation(workload: WorkloadName): SimulationFigures {
  const common = { workload, keyCount: 50_000, warmupRequests: 100_000, seed: 42 };
  const scale = simulateScale({ ...common, measuredRequests: 100_000 });
  const resize = simulateResize({ ...common, windowRequests: 5_000 });
  const source = 'computed by cachelab compare (reduced: 50,000 keys, 100,000 requests)';
  return figuresOf(source, scale, resize);
}

/** The simulation figures and, when a simulate file was ignored, why. */
export interface SimulationChoice {
  figures: SimulationFigures;
  note: string | undefined;
}

/**
 * The scale and resize figures for the report: `<resultsDir>/simulate/latest.json` when `cachelab
 * simulate` wrote one for the same workload, otherwise a reduced simulation computed here.
 */
export async function simulationFor(s: CompareSettings): Promise<SimulationChoice> {
  const file = await readSimulateFile(join(s.resultsDir, 'simulate', 'latest.json'));
  if (file.figures && file.figures.settings.workload === s.workload) {
    return { figures: file.figures, note: undefined };
  }
  const note =
    file.figures === undefined ? file.problem : `${file.figures.source} simulates another workload`;
  return { figures: computeSimulation(s.workload), note };
}
