import { WORKLOADS } from '../../../loadtests/workload.ts';
import type { ConsistencyName } from '../../../services/app/src/config.ts';
import type { DriverName } from '../../lab-config.ts';
import { LabError } from '../../lab-errors.ts';
import type { BatchItem } from '../../scenario/run-batch.ts';
import { getScenario, notApplicable } from '../../scenario/scenario-catalog.ts';
import type { Scenario } from '../../scenario/scenario-model.ts';
import { validateScenario } from '../../scenario/scenario-schema.ts';
import { getTopology } from '../../topology/catalog.ts';
import { GOAL_READS } from './consistency-goals.ts';
import { FAILURE_KINDS, type FailureKind } from './recovery-figures.ts';

/** The shared-cache topologies the goals are about. */
export const SHARED_TOPOLOGIES = ['global', 'global-cluster', 'global-sharded', 'two-tier'];
/** The recommended mode, and `delete` for contrast. */
export const DEFAULT_MODES: ConsistencyName[] = ['outbox+lease', 'delete'];
/** Offered requests per second (write-heavy: 70 % reads). */
export const DEFAULT_RATE = 400;
/** Longest load of one scenario run (the scenario schema's bound); longer loads are split. */
export const MAX_RUN_SEC = 600;
/** Profiles the load spreads over (the scenario catalog's). */
const KEY_COUNT = 5_000;
/** Extra steady seconds, so failed or dropped requests still leave the reads asked for. */
const READ_MARGIN = 1.03;

/** What `cachelab bench-consistency` was asked to do. */
export interface ConsistencyBenchOptions {
  /** Reads of steady write-heavy load per topology and mode (goal: ≥ 100,000). */
  reads: number;
  rate: number;
  topologies: string[];
  modes: ConsistencyName[];
  failures: FailureKind[];
  driver?: DriverName | undefined;
  /** Where the figures are saved (default results/bench/consistency-goals.json). */
  out?: string | undefined;
}

/** The defaults: 100,000 reads at 400 req/s, every shared-cache topology, both modes, all failures. */
export function defaultConsistencyBenchOptions(): ConsistencyBenchOptions {
  return {
    reads: GOAL_READS,
    rate: DEFAULT_RATE,
    topologies: [...SHARED_TOPOLOGIES],
    modes: [...DEFAULT_MODES],
    failures: [...FAILURE_KINDS],
  };
}

/** Refuses a topology without a shared cache tier, naming the ones that have one. */
export function checkTopologies(topologies: readonly string[]): void {
  for (const name of topologies) {
    getTopology(name);
    if (!SHARED_TOPOLOGIES.includes(name)) {
      throw new LabError(
        'USAGE',
        `--topologies: ${name} has no shared cache tier; the consistency goals are about ${SHARED_TOPOLOGIES.join(', ')}`,
      );
    }
  }
}

/** Seconds of write-heavy load at `rate` that give `reads` reads, split into runs of ≤ MAX_RUN_SEC. */
export function steadyRunSeconds(reads: number, rate: number): number[] {
  const perSec = rate * WORKLOADS['write-heavy'].readRatio;
  const total = Math.ceil((reads / perSec) * READ_MARGIN);
  const runs = Math.ceil(total / MAX_RUN_SEC);
  const each = Math.ceil(total / runs);
  return Array.from({ length: runs }, () => each);
}

/** The steady scenario: write-heavy load, no action. */
export function steadyScenario(durationSec: number, rate: number, part: number): Scenario {
  return validateScenario({
    name: `consistency-steady-${part}`,
    question:
      'Steady write-heavy load: does any read return a version older than an acknowledged write?',
    appliesTo: { cacheModes: ['global', 'global-cluster', 'global-sharded', 'two-tier'] },
    defaultTopologies: [...SHARED_TOPOLOGIES],
    load: { workload: 'write-heavy', rate, keyCount: KEY_COUNT, warmupSec: 0, durationSec },
    timeline: [],
  });
}

/** The catalog's failure scenario under write-heavy load at `rate`. */
export function failureScenario(kind: FailureKind, rate: number): Scenario {
  const base = getScenario(kind);
  return validateScenario({
    ...base,
    load: { ...base.load, workload: 'write-heavy', rate, keyCount: KEY_COUNT },
  });
}

/** The scenario runs of one mode: steady chunks per topology, then each failure where it applies. */
export interface ConsistencyBenchPlan {
  items: BatchItem[];
  /** Failures that apply to none of the topologies asked for, with why. */
  skipped: { failure: FailureKind; reason: string }[];
}

/** Builds the batch every mode runs (the mode itself is a batch override). */
export function planConsistencyBench(o: ConsistencyBenchOptions): ConsistencyBenchPlan {
  checkTopologies(o.topologies);
  const steady = steadyRunSeconds(o.reads, o.rate).map((sec, i) => ({
    scenario: steadyScenario(sec, o.rate, i + 1),
    topologies: [...o.topologies],
  }));
  const skipped: ConsistencyBenchPlan['skipped'] = [];
  const failures = o.failures.flatMap((kind) => {
    const scenario = failureScenario(kind, o.rate);
    const topologies = o.topologies.filter((t) => !notApplicable(scenario, getTopology(t)));
    if (topologies.length === 0) {
      const reason = `applies to none of ${o.topologies.join(', ')}`;
      skipped.push({ failure: kind, reason });
      return [];
    }
    return [{ scenario, topologies }];
  });
  return { items: [...steady, ...failures], skipped };
}
