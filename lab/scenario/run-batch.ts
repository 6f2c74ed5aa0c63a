import { isLabError } from '../errors.ts';
import { machineInfo } from '../measure/scrape/environment.ts';
import type { ScenarioResults, ScenarioRunRecord } from '../report/scenario-schema.ts';
import type { Driver } from '../run/driver/types.ts';
import { getTopology } from '../topology/catalog.ts';
import { blockedBy, getScenario, notApplicable, SCENARIOS } from './catalog.ts';
import {
  effectiveTopology,
  type TopologyOverrides,
  variantsOf,
} from './engine/effective-topology.ts';
import { runScenario, type ScenarioRunOptions } from './engine/run-scenario.ts';
import type { Scenario } from './model.ts';

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

/**
 * Runs every (scenario, topology) pair in order, one topology up at a time. A scenario blocked by a
 * component this tree lacks, or not applicable to a topology, is listed under notRun with the reason;
 * a run that fails is recorded as failed and the batch goes on (an interrupt stops it).
 */
export async function runBatch(o: BatchOptions): Promise<ScenarioResults> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const runs: ScenarioRunRecord[] = [];
  const notRun: ScenarioResults['notRun'] = [];
  for (const { scenario, topologies } of o.items) {
    const blocked = blockedBy(scenario);
    if (blocked) {
      notRun.push({ scenario: scenario.name, topology: null, reason: blocked });
      continue;
    }
    for (const name of topologies) {
      o.signal?.throwIfAborted();
      const topology = getTopology(name);
      const why = notApplicable(scenario, topology);
      if (why) {
        notRun.push({ scenario: scenario.name, topology: name, reason: why });
        continue;
      }
      for (const variant of variantsOf(scenario)) {
        const label = variant ? `${scenario.name} (${variant.label})` : scenario.name;
        try {
          const effective = effectiveTopology(topology, scenario, variant, o.overrides);
          const run = await runScenario({
            ...o,
            topology: effective,
            scenario,
            ...(variant ? { variant: variant.label } : {}),
          });
          runs.push(run);
          o.onRun?.(run);
        } catch (error) {
          if (isLabError(error) && error.code === 'INTERRUPTED') throw error;
          notRun.push({ scenario: label, topology: name, reason: messageOf(error) });
        }
      }
    }
    for (const v of scenario.missingVariants ?? []) {
      if (v.variant !== 'all') {
        notRun.push({
          scenario: `${scenario.name} (${v.variant})`,
          topology: null,
          reason: v.reason,
        });
      }
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
