import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ConsistencyName } from '../../../services/app/src/config.ts';
import { loadLabConfig } from '../../lab-config.ts';
import type { ScenarioResults, ScenarioRunRecord } from '../../report/scenario-results-schema.ts';
import type { Driver } from '../../run/driver/driver-types.ts';
import { getDriver } from '../../run/driver/select-driver.ts';
import { interruptibly } from '../../run/interruptibly.ts';
import { runBatch } from '../../scenario/run-batch.ts';
import { BENCH_RESULTS_DIR } from '../bench-results.ts';
import { describeMachine, machineInfo } from '../machine.ts';
import {
  type ConsistencyBenchOptions,
  type ConsistencyBenchPlan,
  planConsistencyBench,
} from './consistency-bench-plan.ts';
import { consistencyGoalsSummary, consistencyGoalsTable } from './consistency-bench-table.ts';
import {
  evaluateMode,
  GOAL_READS,
  GOAL_STALE_AFTER_BACK_SEC,
  type ModeGoals,
  sumSteady,
} from './consistency-goals.ts';
import {
  FAILURE_KINDS,
  type FailureKind,
  type RecoveryFigures,
  recoveryFiguresOf,
  runFiguresOf,
} from './recovery-figures.ts';

/** Where the figures go unless --out says otherwise. */
export const CONSISTENCY_GOALS_RESULT = `${BENCH_RESULTS_DIR}/consistency-goals.json`;

const log = (text: string): void => void process.stdout.write(`${text}\n`);
const note = (text: string): void => void process.stderr.write(`${text}\n`);

const isFailure = (name: string): name is FailureKind =>
  (FAILURE_KINDS as readonly string[]).includes(name);

/** Turns one mode's scenario records into its figures and goal verdicts. */
export function modeGoalsOf(
  mode: string,
  topologies: readonly string[],
  runs: readonly ScenarioRunRecord[],
): ModeGoals {
  const steady = topologies.flatMap((topology) => {
    const chunks = runs.filter(
      (r) => r.topology === topology && r.scenario.startsWith('consistency-steady-'),
    );
    return chunks.length === 0 ? [] : [sumSteady(topology, chunks.map(runFiguresOf))];
  });
  const recovery: RecoveryFigures[] = runs.flatMap((r) =>
    isFailure(r.scenario) ? [recoveryFiguresOf(r, r.scenario)] : [],
  );
  return evaluateMode(mode, topologies, steady, recovery);
}

async function runMode(
  mode: ConsistencyName,
  plan: ConsistencyBenchPlan,
  driver: Driver,
  signal: AbortSignal,
): Promise<ScenarioResults> {
  note(`bench-consistency: ${mode}`);
  return runBatch({
    items: plan.items,
    driver,
    signal,
    overrides: { consistency: mode },
    onStage: (stage) => note(`  ${mode}: ${stage}`),
    onEvent: (e) => note(`    ${e.startedSec.toFixed(1)} s ${e.description}: ${e.detail}`),
    onRun: (r) => note(`  ${mode}: ${r.scenario} on ${r.topology}: ${r.status}`),
  });
}

/**
 * `cachelab bench-consistency`: with each mode (default outbox+lease and, for contrast, delete), steady
 * write-heavy load on every shared-cache topology and the catalog's Redis kill, Redis restart and
 * Cluster failover scenarios under write-heavy load, all run by the scenario engine with the runner's
 * stale-read check; prints the table and the goals, and saves results/bench/consistency-goals.json.
 */
export async function runConsistencyBench(o: ConsistencyBenchOptions): Promise<ModeGoals[]> {
  const plan = planConsistencyBench(o);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  log(`cachelab bench-consistency: ${o.reads} reads at ${o.rate} req/s write-heavy`);
  log(`machine: ${describeMachine(machineInfo())}`);
  const driver = getDriver(o.driver ?? loadLabConfig().driver ?? 'native');
  const modes: ModeGoals[] = [];
  const notRun: { mode: string; scenario: string; topology: string | null; reason: string }[] = [];
  for (const mode of o.modes) {
    const results = await interruptibly('rolling back and taking the topology down', (signal) =>
      runMode(mode, plan, driver, signal),
    );
    modes.push(modeGoalsOf(mode, o.topologies, results.runs));
    notRun.push(...results.notRun.map((n) => ({ mode, ...n })));
  }
  log(consistencyGoalsTable(modes));
  log(consistencyGoalsSummary(modes, GOAL_READS));
  for (const n of notRun)
    log(`not run (${n.mode}): ${n.scenario} on ${n.topology ?? 'all'}: ${n.reason}`);
  for (const s of plan.skipped) log(`skipped: ${s.failure}: ${s.reason}`);
  const out = o.out ?? CONSISTENCY_GOALS_RESULT;
  await mkdir(dirname(out), { recursive: true });
  const saved = {
    schemaVersion: 1,
    kind: 'consistency-goals',
    startedAt,
    wallSec: (performance.now() - started) / 1000,
    machine: machineInfo(),
    parameters: { ...o, workload: 'write-heavy', driver: driver.name },
    goals: { reads: GOAL_READS, staleAfterCacheBackSec: GOAL_STALE_AFTER_BACK_SEC },
    resolution:
      'latest stale read after the cache answered again: end of the last second with a stale read minus the moment the cache answered again (the end of the action that restarted it; after a failover, the start of the last second of the first stretch in which more than 10 % of reads bypassed it): an upper bound at the runner’s 1-second resolution',
    modes,
    notRun,
    skipped: plan.skipped,
  };
  await writeFile(out, `${JSON.stringify(saved, null, 2)}\n`);
  log(`saved: ${out}`);
  return modes;
}
