import { isLabError } from '../lab-errors.ts';
import { machineInfo } from '../measure/scrape/environment.ts';
import type { ScenarioResults, ScenarioRunRecord } from '../report/scenario-results-schema.ts';
import type { Driver } from '../run/driver/driver-types.ts';
import { getTopology } from '../topology/catalog.ts';
import type { Topology } from '../topology/model.ts';
import {
  effectiveTopology,
  type TopologyOverrides,
  variantsOf,
} from './engine/effective-topology.ts';
import {
  runOnLab,
  type ScenarioLab,
  type ScenarioRunOptions,
  startScenarioLab,
} from './engine/run-scenario.ts';
import { blockedBy, getScenario, notApplicable, SCENARIOS } from './scenario-catalog.ts';
import type { Scenario, ScenarioVariant } from './scenario-model.ts';

/** One scenario against the topologies asked for (or its defaults). */
export interface BatchItem {
  scenario: Scenario;
  topologies: string[];
}

/** Options of runBatch. */
export interface BatchOptions {
  items: BatchItem[];
  driver: Driver;
  signal?: AbortSignal;
  observe?: boolean;
  onStage?: ScenarioRunOptions['onStage'];
  onEvent?: ScenarioRunOptions['onEvent'];
  /** --network / --consistency: win over the scenario's own settings. */
  overrides?: TopologyOverrides;
  /** Told when one run ends, with its record. */
  onRun?: (run: ScenarioRunRecord) => void;
}

/** The whole catalog, each scenario against its default topologies (what `make scenarios` runs). */
export function catalogBatch(): BatchItem[] {
  return SCENARIOS.map((scenario) => ({ scenario, topologies: [...scenario.defaultTopologies] }));
}

/** One scenario by name, against `topologies` or its defaults. */
export function namedBatch(name: string, topologies: string[] | undefined): BatchItem[] {
  const scenario = getScenario(name);
  return [{ scenario, topologies: topologies ?? [...scenario.defaultTopologies] }];
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** One run to make: a scenario (variant) on its effective topology. */
interface Job {
  scenario: Scenario;
  variant: ScenarioVariant | undefined;
  topology: Topology;
  /** Runs sharing a key can share one lab: same topology, network and consistency. */
  key: string;
  /** Needs a lab nothing ran on yet (a cold start). */
  fresh: boolean;
}

function jobsOf(o: BatchOptions, notRun: ScenarioResults['notRun']): Job[] {
  const jobs: Job[] = [];
  for (const { scenario, topologies } of o.items) {
    const blocked = blockedBy(scenario);
    if (blocked) {
      notRun.push({ scenario: scenario.name, topology: null, reason: blocked });
      continue;
    }
    for (const name of topologies) {
      const base = getTopology(name);
      const why = notApplicable(scenario, base);
      if (why) {
        notRun.push({ scenario: scenario.name, topology: name, reason: why });
        continue;
      }
      for (const variant of variantsOf(scenario)) {
        const topology = effectiveTopology(base, scenario, variant, o.overrides);
        // Variants are compared with each other: each starts from the same fresh state.
        const fresh = (scenario.probes?.includes('cold-start') ?? false) || variant !== undefined;
        jobs.push({ scenario, variant, topology, key: JSON.stringify(topology), fresh });
      }
    }
  }
  // Grouped by lab, first appearance first; a cold start opens its group while the lab is fresh.
  const order = [...new Set(jobs.map((j) => j.key))];
  return order.flatMap((key) =>
    jobs.filter((j) => j.key === key).sort((a, b) => Number(b.fresh) - Number(a.fresh)),
  );
}

const labelOf = (j: Job): string =>
  j.variant ? `${j.scenario.name} (${j.variant.label})` : j.scenario.name;

/**
 * Runs every (scenario, variant, topology) in turn. Runs on the same topology settings share one lab
 * (each run's rollbacks leave it as it was); a run that failed or could not roll back gets a fresh
 * lab after it, and a cold start always starts on one. A scenario blocked by a missing component, or
 * not applicable to a topology, is listed under notRun with the reason; an interrupt stops the batch.
 */
export async function runBatch(o: BatchOptions): Promise<ScenarioResults> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const runs: ScenarioRunRecord[] = [];
  const notRun: ScenarioResults['notRun'] = [];
  let current: { key: string; on: ScenarioLab; used: boolean; clean: boolean } | undefined;
  const stop = async (): Promise<void> => {
    if (!current) return;
    const { on, key } = current;
    current = undefined;
    o.onStage?.(`down ${(JSON.parse(key) as Topology).name}`);
    await on.lab.down();
  };
  try {
    for (const job of jobsOf(o, notRun)) {
      o.signal?.throwIfAborted();
      const reusable =
        current && current.key === job.key && current.clean && !(job.fresh && current.used);
      const options = { ...o, scenario: job.scenario, topology: job.topology };
      try {
        if (!reusable) {
          await stop();
          current = { key: job.key, on: await startScenarioLab(options), used: false, clean: true };
        }
        const active = current as NonNullable<typeof current>;
        const variant = job.variant ? { variant: job.variant.label } : {};
        const { record, clean } = await runOnLab({ ...options, ...variant }, active.on);
        active.used = true;
        active.clean = clean;
        runs.push(record);
        o.onRun?.(record);
      } catch (error) {
        if (isLabError(error) && error.code === 'INTERRUPTED') throw error;
        if (current) current.clean = false;
        notRun.push({
          scenario: labelOf(job),
          topology: job.topology.name,
          reason: messageOf(error),
        });
      }
    }
  } finally {
    await stop();
  }
  for (const { scenario } of o.items) {
    for (const v of scenario.missingVariants ?? []) {
      if (v.variant !== 'all')
        notRun.push({
          scenario: `${scenario.name} (${v.variant})`,
          topology: null,
          reason: v.reason,
        });
    }
  }
  return {
    schemaVersion: 1,
    kind: 'scenarios',
    startedAt,
    wallSec: (performance.now() - started) / 1000,
    machine: machineInfo(),
    runs,
    notRun,
  };
}
