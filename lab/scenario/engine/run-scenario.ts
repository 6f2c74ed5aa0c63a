import { join } from 'node:path';
import { runLoadWithSeries, type SeriesRun } from '../../../loadtests/runner/run-load.ts';
import { epochNow } from '../../../loadtests/runner/spread-run.ts';
import { loadLabConfig } from '../../lab-config.ts';
import { LabError } from '../../lab-errors.ts';
import type { ScenarioRunRecord } from '../../report/scenario-results-schema.ts';
import type { Driver, ObserveHook, RunningLab } from '../../run/driver/driver-types.ts';
import { createObserveHook, runIdOf } from '../../run/observe/observe-hook.ts';
import { freePort } from '../../run/processes/ports.ts';
import type { Topology } from '../../topology/model.ts';
import { AnnotationSink } from '../annotations/annotation-sink.ts';
import { busCutOf } from '../figures/bus-partition.ts';
import type { ServerSample } from '../figures/server-sample.ts';
import { notApplicable } from '../scenario-catalog.ts';
import type { Scenario } from '../scenario-model.ts';
import { type OwnerProbe, probeKeyOwners } from './key-owners.ts';
import { buildRunRecord, type Measured } from './run-record.ts';
import { samplerTargetsOf } from './sampler-targets.ts';
import { ServerSampler } from './server-sampler.ts';
import { type EventListener, Timeline } from './timeline.ts';

/** Options of runScenario. */
export interface ScenarioRunOptions {
  driver: Driver;
  topology: Topology;
  scenario: Scenario;
  /** Aborting (Ctrl-C) ends the method, runs the rollbacks, takes the topology down, then throws INTERRUPTED. */
  signal?: AbortSignal;
  /** Start Prometheus and write every action as an annotation series (native driver). */
  observe?: boolean;
  /** Told about every action and rollback as it ends. */
  onEvent?: EventListener;
  /** Told about each stage (up, load, rollback, down). */
  onStage?: (stage: string) => void;
  /** nginx port; default a free one. */
  httpPort?: number;
  /** Label of the scenario variant this run is (its settings are already in `topology`). */
  variant?: string;
}

/** The --observe hook of a lab and the annotation sink it creates once Prometheus runs. */
export interface ObserveSetup {
  hook: ObserveHook | undefined;
  sink: () => AnnotationSink | undefined;
}

function observeSetup(enabled: boolean): ObserveSetup {
  if (!enabled) return { hook: undefined, sink: () => undefined };
  let sink: AnnotationSink | undefined;
  const storageDir = join(loadLabConfig().labDir, 'scenario-tsdb');
  const hook = createObserveHook({
    storageDir,
    onStarted: (handle) => {
      sink = new AnnotationSink(handle.remoteWriteUrl);
    },
  });
  return { hook, sink: () => sink };
}

async function bringUp(o: ScenarioRunOptions, hook: ObserveHook | undefined): Promise<RunningLab> {
  o.onStage?.(`up ${o.topology.name} (${o.driver.name})`);
  return o.driver.up(o.topology, {
    httpPort: o.httpPort ?? (await freePort()),
    seedUsers: o.scenario.load.keyCount,
    appLogLevel: 'warn',
    signal: o.signal,
    ...(hook ? { observe: hook } : {}),
  });
}

function phasesOf(scenario: Scenario) {
  return scenario.timeline.flatMap((step) =>
    step.action.kind === 'change-workload'
      ? [{ atSec: step.atSec, workload: step.action.workload }]
      : [],
  );
}

async function method(o: ScenarioRunOptions, lab: RunningLab, observe: ObserveSetup) {
  const { scenario, topology } = o;
  const probeOwners = scenario.probes?.includes('key-owners') ?? false;
  let before: Promise<OwnerProbe> | undefined;
  const onEvent: EventListener = (event, atEpochMs) => {
    o.onEvent?.(event, atEpochMs);
    const runId = runIdOf(lab.state.runDir);
    const text = `${event.description}${event.ok ? '' : ' (failed)'}`;
    const base = { runId, scenario: scenario.name, topology: topology.name, text, atEpochMs };
    observe
      .sink()
      ?.write({ ...base, action: event.phase === 'rollback' ? 'rollback' : event.kind });
  };
  const timeline = new Timeline({ driver: o.driver, lab }, scenario.timeline, {
    // Owners are probed from the end of the warm-up, so the probe does not delay the first action.
    beforeFirstAction: async () => void (await before),
    onEvent,
    signal: o.signal,
  });
  const sampleApps = busCutOf(scenario) !== undefined;
  const sampler = new ServerSampler(await samplerTargetsOf(lab.state, sampleApps));
  const { load } = scenario;
  let run: SeriesRun | undefined;
  let samples: ServerSample[] = [];
  let loadError: unknown;
  let after: OwnerProbe | undefined;
  try {
    o.onStage?.(`load ${load.rate} req/s for ${load.durationSec} s`);
    run = await runLoadWithSeries({
      baseUrl: lab.url,
      topology: topology.name,
      workload: load.workload,
      keyCount: load.keyCount,
      rate: load.rate,
      durationSec: load.durationSec,
      warmupSec: 0,
      seed: 1,
      timeoutMs: 2_000,
      maxInFlight: 512,
      workers: 1,
      series: true,
      ...(o.signal ? { signal: o.signal } : {}),
      phases: phasesOf(scenario),
      onStart: (startAt) => {
        sampler.start(startAt, Math.ceil(load.durationSec));
        timeline.start(startAt);
        if (probeOwners) before = probeAt(o.driver, lab, startAt + load.warmupSec * 1000);
      },
    });
    await timeline.finished();
    if (probeOwners && !timeline.failure) after = await probeKeyOwners(o.driver, lab);
  } catch (error) {
    loadError = error;
  } finally {
    await timeline.finished();
    samples = await sampler.stop();
    o.onStage?.('rollbacks');
    await timeline.rollBack();
    await observe.sink()?.flush();
  }
  return { run, samples, timeline, loadError, before: await before, after } satisfies Measured;
}

async function probeAt(driver: Driver, lab: RunningLab, epochMs: number): Promise<OwnerProbe> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, epochMs - epochNow())));
  return probeKeyOwners(driver, lab);
}

/** A topology brought up for scenarios, with its annotation sink (under --observe). */
export interface ScenarioLab {
  lab: RunningLab;
  observe: ObserveSetup;
}

/** Brings the topology of `o` up (with Prometheus under `o.observe`). */
export async function startScenarioLab(
  o: Pick<
    ScenarioRunOptions,
    'driver' | 'topology' | 'scenario' | 'signal' | 'observe' | 'onStage' | 'httpPort'
  >,
): Promise<ScenarioLab> {
  const observe = observeSetup(o.observe ?? false);
  return { lab: await bringUp(o as ScenarioRunOptions, observe.hook), observe };
}

function interrupted(o: ScenarioRunOptions, measured: Measured): LabError {
  const rollbacks = measured.timeline.events.filter((e) => e.phase === 'rollback');
  return new LabError('INTERRUPTED', `interrupted; rollbacks ran and ${o.topology.name} is down`, {
    details: { rollbacks },
  });
}

/**
 * Runs one scenario on a lab that is already up (and leaves it up): the load, the actions at their
 * offsets while the servers are sampled every second, and every rollback (also after a failure or an
 * abort). `clean` says whether the lab is as it was (completed, every rollback done).
 */
export async function runOnLab(
  o: ScenarioRunOptions,
  on: ScenarioLab,
): Promise<{ record: ScenarioRunRecord; clean: boolean }> {
  const started = performance.now();
  const why = notApplicable(o.scenario, o.topology);
  if (why) {
    throw new LabError('USAGE', `${o.scenario.name} does not apply to ${o.topology.name}: ${why}`);
  }
  const measured = await method(o, on.lab, on.observe);
  if (o.signal?.aborted) throw interrupted(o, measured);
  const record = buildRunRecord(o, measured, (performance.now() - started) / 1000);
  const rolledBack = measured.timeline.events.every((e) => e.phase !== 'rollback' || e.ok);
  return { record, clean: record.status === 'completed' && rolledBack };
}

/**
 * Runs one scenario against one topology: brings it up, runs it (runOnLab), takes the topology down
 * (also after a failure or an abort), and returns the run's record.
 */
export async function runScenario(o: ScenarioRunOptions): Promise<ScenarioRunRecord> {
  const why = notApplicable(o.scenario, o.topology);
  if (why) {
    throw new LabError('USAGE', `${o.scenario.name} does not apply to ${o.topology.name}: ${why}`);
  }
  const on = await startScenarioLab(o);
  try {
    return (await runOnLab(o, on)).record;
  } finally {
    o.onStage?.(`down ${o.topology.name}`);
    await on.lab.down();
  }
}
