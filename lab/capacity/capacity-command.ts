import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import type { WorkloadName } from '../../loadtests/workload.ts';
import { repeatRuns } from '../compare/confidence.ts';
import { newRunId } from '../compare/results-store.ts';
import { type DriverName, loadLabConfig } from '../lab-config.ts';
import { machineInfo } from '../measure/scrape/environment.ts';
import { getDriver } from '../run/driver/select-driver.ts';
import { interruptibly } from '../run/interruptibly.ts';
import { getTopology, topologyNames } from '../topology/catalog.ts';
import type { NetworkProfile } from '../topology/network.ts';
import { withNetwork } from '../topology/network-proxies.ts';
import { mergeCapacityRepeats } from './capacity-repeats.ts';
import { writeCapacityReport } from './capacity-report.ts';
import {
  type FailedSearch,
  type SearchedTopology,
  type SearchHooks,
  searchTopology,
  type TopologySearchSettings,
} from './capacity-run.ts';
import { type CapacityResults, parseCapacityResults } from './capacity-schema.ts';
import type { CapacityStep } from './capacity-step.ts';
import { DEFAULT_SLO, describeSlo, type Slo } from './slo.ts';
import { DEFAULT_SEARCH_PLAN } from './step-search.ts';

/** Flags of `cachelab capacity` (undefined = default). */
export interface CapacityFlags {
  topologies?: string[];
  slo?: Slo;
  network?: NetworkProfile;
  driver?: DriverName;
  workload?: WorkloadName;
  seedUsers?: number;
  stepSec?: number;
  startRps?: number;
  maxRps?: number;
  maxSteps?: number;
  /** Searches per topology; figures become medians with 95 % intervals. */
  repeat?: number;
  resultsDir?: string;
}

/** Everything a capacity run runs with. */
export interface CapacitySettings extends TopologySearchSettings {
  topologies: string[];
  network: NetworkProfile;
  driver: DriverName;
  repeat: number;
  resultsDir: string;
}

/** The flags with every default filled in: short steps so the whole catalog fits on 2 cores. */
export function resolveCapacitySettings(f: CapacityFlags): CapacitySettings {
  const seedUsers = f.seedUsers ?? 20_000;
  const topologies = f.topologies ?? topologyNames();
  for (const name of topologies) getTopology(name);
  return {
    topologies,
    network: f.network ?? 'loopback',
    driver: f.driver ?? 'native',
    repeat: f.repeat ?? 1,
    resultsDir: f.resultsDir ?? 'results',
    workload: f.workload ?? 'read-heavy',
    seedUsers,
    keyCount: seedUsers,
    seed: 1,
    stepWarmupSec: 1,
    stepSec: f.stepSec ?? 3,
    prewarmSec: 4,
    prewarmRps: 300,
    timeoutMs: 2000,
    maxInFlight: 4096,
    maxLagP99Ms: 20,
    slo: f.slo ?? DEFAULT_SLO,
    plan: {
      ...DEFAULT_SEARCH_PLAN,
      ...(f.startRps === undefined ? {} : { startRps: f.startRps }),
      ...(f.maxRps === undefined ? {} : { maxRps: f.maxRps }),
      ...(f.maxSteps === undefined ? {} : { maxSteps: f.maxSteps }),
    },
  };
}

function stepLine(topology: string, s: CapacityStep): string {
  const verdict = s.ok ? 'holds' : `breaks (${[...s.sloBreaches, ...s.invalidReasons].join('; ')})`;
  return (
    `  ${topology} ${String(s.rate).padStart(6)}/s → ${s.throughputRps.toFixed(0).padStart(6)}/s  ` +
    `p50 ${s.latencyMs.p50.toFixed(2)} ms  p99 ${s.latencyMs.p99.toFixed(1)} ms  ${verdict}\n`
  );
}

/** The summary printed at the end: one line per topology. */
export function formatCapacitySummary(r: CapacityResults): string {
  const lines = [`capacity under SLO ${r.parameters.sloText}:`];
  for (const t of r.topologies) {
    if (t.status === 'failed') {
      lines.push(`  ${t.topology.padEnd(15)} FAILED (${t.phase}): ${t.error}`);
      continue;
    }
    const max =
      t.maxSustainableRps === null ? `< ${r.parameters.plan.startRps}` : `${t.maxSustainableRps}`;
    const ci = t.repeat?.figures.maxSustainableRps;
    const interval = ci ? ` [${ci.low}–${ci.high}, ${t.repeat?.measured} runs]` : '';
    const usl = t.usl ? `  USL σ=${t.usl.sigma.toFixed(4)} κ=${t.usl.kappa.toExponential(2)}` : '';
    lines.push(
      `  ${t.topology.padEnd(15)} ${max.padStart(7)} req/s${interval}${usl}  (${t.stoppedBecause})`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function runAll(s: CapacitySettings, print: (text: string) => void, signal?: AbortSignal) {
  const driver = getDriver(s.driver);
  const hooks: SearchHooks = {
    driver,
    runRoot: join(loadLabConfig().labDir, 'capacity'),
    ...(signal ? { signal } : {}),
    onStep: (name, step) => print(stepLine(name, step)),
    onPhase: (name, phase) => print(`${name}: ${phase}\n`),
  };
  const out: CapacityResults['topologies'] = [];
  for (const name of s.topologies) {
    signal?.throwIfAborted();
    const base = getTopology(name);
    const t = s.network === 'loopback' ? base : withNetwork(base, { profile: s.network });
    const runs = await repeatRuns(s.repeat, async (i) => {
      if (s.repeat > 1) print(`${name}: search ${i + 1} of ${s.repeat}\n`);
      return searchTopology(t, s, hooks);
    });
    out.push(
      mergeCapacityRepeats<SearchedTopology, FailedSearch>(runs, (f) => `${f.phase}: ${f.error}`),
    );
  }
  return out;
}

/**
 * `cachelab capacity`: searches each topology's highest sustainable rate under the SLO, prints the
 * summary, and writes results/capacity/<run-id>/results.json, report.md and report.html.
 */
export async function capacityCommand(
  flags: CapacityFlags,
  print: (text: string) => void = (text) => process.stdout.write(text),
  signal?: AbortSignal,
): Promise<{ results: CapacityResults; dir: string }> {
  const s = resolveCapacitySettings(flags);
  const createdAt = new Date();
  const started = performance.now();
  const loadBefore = loadavg()[0] ?? 0;
  const topologies = await interruptibly(
    'stopping after the current topology is down',
    (inner) => runAll(s, print, inner),
    signal,
  );
  const runId = newRunId(createdAt, `capacity-${s.workload}`);
  const p = s;
  const results = parseCapacityResults({
    schemaVersion: 1,
    kind: 'cachelab-capacity',
    runId,
    createdAt: createdAt.toISOString(),
    finishedAt: new Date().toISOString(),
    elapsedSec: (performance.now() - started) / 1000,
    parameters: {
      workload: p.workload,
      slo: p.slo,
      sloText: describeSlo(p.slo),
      network: p.network,
      driver: p.driver,
      seedUsers: p.seedUsers,
      keyCount: p.keyCount,
      stepWarmupSec: p.stepWarmupSec,
      stepSec: p.stepSec,
      prewarmSec: p.prewarmSec,
      plan: p.plan,
      topologies: p.topologies,
      ...(p.repeat > 1 ? { repeat: p.repeat } : {}),
    },
    machine: machineInfo(),
    node: process.version,
    loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0 },
    topologies,
  });
  const dir = resolve(s.resultsDir, 'capacity', runId);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const report = await writeCapacityReport(dir, results);
  print(formatCapacitySummary(results));
  print(`results: ${join(dir, 'results.json')}\nreport:  ${report.htmlPath}\n`);
  return { results, dir };
}
