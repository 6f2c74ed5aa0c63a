import { join } from 'node:path';
import type { ConsistencyName } from '../../services/app/src/config.ts';
import { loadLabConfig } from '../lab-config.ts';
import { calibrateNetwork } from '../measure/network/calibrate.ts';
import { formatCalibration } from '../measure/network/calibrate-command.ts';
import { machineInfo } from '../measure/scrape/environment.ts';
import type { NetworkResult } from '../report/network-schema.ts';
import {
  type ComparisonResults,
  type MeasuredTopology,
  measuredOf,
  type TopologyOutcome,
} from '../report/results-types.ts';
import { type WrittenReport, writeReport } from '../report/write-report.ts';
import type { Driver, RunningLab } from '../run/driver/driver-types.ts';
import { getDriver } from '../run/driver/select-driver.ts';
import { getTopology } from '../topology/catalog.ts';
import { consistencyRunLabel, withConsistency } from '../topology/consistency.ts';
import { hopDelays, needsProxies } from '../topology/network.ts';
import { withNetwork } from '../topology/network-proxies.ts';
import { CompareError } from './compare-error.ts';
import { type ComparePrinter, createComparePrinter } from './compare-printer.ts';
import type { CompareSettings } from './compare-settings.ts';
import { mergeRepeats } from './repeat-outcomes.ts';
import { makeRunFolder, newRunId, pointLatest, writeResults } from './results-store.ts';
import { defaultRunRoot, runTopology } from './run-topology.ts';
import { calibrationFor, simulationFor } from './simulation.ts';
import { VersionCollector } from './versions.ts';

/** Options of runCompare besides the settings. */
export interface CompareOptions {
  settings: CompareSettings;
  /** Parent of the per-topology run folders (default `.lab/compare`); removed after clean runs. */
  runRoot?: string;
  printer?: ComparePrinter;
  /** Stops after the current topology (which is still taken down). */
  signal?: AbortSignal;
  /** Called with each running lab after its measured window (tests look at the live servers). */
  afterMeasure?: (topology: string, lab: RunningLab) => Promise<void>;
  /** The driver that runs each topology; default the registered one named by settings.driver. */
  driver?: Driver;
  now?: () => Date;
}

/** What a comparison produced. */
export interface CompareOutput {
  results: ComparisonResults;
  dir: string;
  resultsPath: string;
  report: WrittenReport;
  latestLink: string;
}

/** One run of the comparison: a catalog topology, under a consistency mode when --consistency is given. */
interface PlannedRun {
  name: string;
  label: string;
  mode?: ConsistencyName;
}

function plannedRuns(s: CompareSettings): PlannedRun[] {
  if (!s.consistency) return s.topologies.map((name) => ({ name, label: name }));
  const modes = s.consistency;
  return s.topologies.flatMap((name) =>
    modes.map((mode) => ({ name, mode, label: consistencyRunLabel(name, mode) })),
  );
}

async function runAll(
  o: CompareOptions,
  driver: Driver,
  printer: ComparePrinter,
  versions: VersionCollector,
) {
  const s = o.settings;
  const runRoot = o.runRoot ?? defaultRunRoot(loadLabConfig().labDir);
  const planned = plannedRuns(s);
  const runs = new Map<string, TopologyOutcome[]>(planned.map((p) => [p.label, []]));
  const hook = o.afterMeasure;
  const total = planned.length * s.repeat;
  // Rounds over the whole list, so a drift in the machine's load spreads over every topology.
  for (let round = 0; round < s.repeat; round++) {
    for (const [index, run] of planned.entries()) {
      if (o.signal?.aborted)
        throw new CompareError('INTERRUPTED', 'interrupted; stopped between topologies');
      const label = s.repeat > 1 ? `${run.label} (run ${round + 1}/${s.repeat})` : run.label;
      printer.topologyStart(round * planned.length + index, total, label);
      const base = withNetwork(getTopology(run.name), { profile: s.network });
      const topology = run.mode ? withConsistency(base, run.mode) : base;
      const outcome = await runTopology(topology, s, {
        runRoot,
        driver,
        signal: o.signal,
        onPhase: (phase) => printer.phase(phase),
        onUpProgress: (e) => printer.upStep(e),
        onLoadProgress: (p) => printer.load(p, s.warmupSec + s.durationSec),
        onUp: (_lab, endpoints) => versions.collect(endpoints),
        afterMeasure: hook ? (lab) => hook(run.name, lab) : undefined,
      });
      const labelled = { ...outcome, topology: run.label };
      printer.topologyDone(labelled);
      runs.get(run.label)?.push(labelled);
    }
  }
  return planned.map((p) => mergeRepeats(runs.get(p.label) ?? []));
}

function parametersOf(s: CompareSettings, driver: Driver): ComparisonResults['parameters'] {
  return {
    workload: s.workload,
    quick: s.quick,
    rate: s.rate,
    warmupSec: s.warmupSec,
    durationSec: s.durationSec,
    seedUsers: s.seedUsers,
    keyCount: s.keyCount,
    seed: s.seed,
    timeoutMs: s.timeoutMs,
    maxInFlight: s.maxInFlight,
    maxLagP99Ms: s.maxLagP99Ms,
    scrapeTimeoutMs: s.scrapeTimeoutMs,
    repeat: s.repeat,
    warmupPolicy: s.warmupPolicy,
    topologies: s.topologies,
    driver: driver.name,
    ...(s.remote ? { target: s.remote.target } : {}),
    network: s.network,
    ...(s.consistency ? { consistency: s.consistency } : {}),
  };
}

type Assembled = Omit<
  ComparisonResults,
  'schemaVersion' | 'kind' | 'runId' | 'createdAt' | 'elapsedSec'
>;

async function assemble(
  o: CompareOptions,
  driver: Driver,
  outcomes: TopologyOutcome[],
  versions: VersionCollector,
  printer: ComparePrinter,
  network: NetworkResult,
): Promise<Assembled> {
  const s = o.settings;
  const measured = outcomes.filter((t): t is MeasuredTopology => t.status === 'ok');
  const simulation = measured.length > 0 ? await simulationFor(s) : undefined;
  if (simulation?.note)
    printer.line(`simulation: ${simulation.note}; computed a reduced one instead`);
  return {
    finishedAt: (o.now ?? (() => new Date()))().toISOString(),
    parameters: parametersOf(s, driver),
    machine: machineInfo(),
    versions: await versions.result(),
    topologies: outcomes,
    calibration: calibrationFor(s, measured),
    simulation: simulation?.figures ?? null,
    network,
  };
}

/** The run's network; a profile with proxies is calibrated first (its figures go into results.json). */
async function networkOfRun(s: CompareSettings, printer: ComparePrinter): Promise<NetworkResult> {
  const settings = { profile: s.network };
  if (!needsProxies(settings))
    return { profile: s.network, hops: hopDelays(settings), calibration: null };
  printer.line(`network ${s.network}: calibrating the fault proxy's hops`);
  const calibration = await calibrateNetwork(settings, 300);
  printer.line(formatCalibration(calibration).trimEnd());
  return { profile: s.network, hops: hopDelays(settings), calibration };
}

/** The driver of the comparison; USAGE when it cannot say where its servers answer. */
function measurableDriver(o: CompareOptions): Driver {
  const driver = o.driver ?? getDriver(o.settings.driver);
  if (!driver.endpoints) {
    throw new CompareError('USAGE', `the ${driver.name} driver cannot be measured by compare`);
  }
  return driver;
}

/**
 * Runs the comparison: each topology up, warmed, loaded and scraped, then down; writes
 * results/<run-id>/results.json, report.md and report.html, and points results/latest at it.
 * Throws NOTHING_MEASURED (after writing everything) when no topology could be measured.
 */
export async function runCompare(o: CompareOptions): Promise<CompareOutput> {
  const started = performance.now();
  const createdAt = (o.now ?? (() => new Date()))();
  const printer = o.printer ?? createComparePrinter();
  const driver = measurableDriver(o);
  const versions = new VersionCollector((text) => printer.line(text), driver.name);
  const network = await networkOfRun(o.settings, printer);
  let outcomes: TopologyOutcome[];
  try {
    outcomes = await runAll(o, driver, printer, versions);
  } finally {
    printer.finish();
  }
  const assembled = await assemble(o, driver, outcomes, versions, printer, network);
  const out = await publish(o.settings, {
    schemaVersion: 1,
    kind: 'cachelab-compare',
    runId: newRunId(createdAt, o.settings.workload),
    createdAt: createdAt.toISOString(),
    elapsedSec: (performance.now() - started) / 1000,
    ...assembled,
  });
  if (measuredOf(out.results).length === 0) {
    const where = out.report.markdownPath;
    throw new CompareError('NOTHING_MEASURED', `no topology could be measured; see ${where}`);
  }
  return out;
}

/** Writes results.json and the reports into a new run folder and points `latest` at it. */
async function publish(s: CompareSettings, draft: ComparisonResults): Promise<CompareOutput> {
  const folder = await makeRunFolder(s.resultsDir, draft.runId);
  const written = await writeResults(folder.dir, { ...draft, runId: folder.runId });
  const ladderPath = join(s.resultsDir, 'bench', 'latency-ladder.json');
  const report = await writeReport(folder.dir, written.results, { ladderPath });
  const latestLink = await pointLatest(s.resultsDir, folder.runId);
  return {
    results: written.results,
    dir: folder.dir,
    resultsPath: written.path,
    report,
    latestLink,
  };
}
