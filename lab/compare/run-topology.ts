import { join } from 'node:path';
import { costProbeOf } from '../measure/cost/lab-components.ts';
import type { LoadProgressListener } from '../measure/measure-window.ts';
import { ScrapeError } from '../measure/scrape/scrape-error.ts';
import type { FailedTopology, TopologyOutcome } from '../report/results-types.ts';
import type {
  Driver,
  LabEndpoints,
  ProgressListener,
  RunningLab,
} from '../run/driver/driver-types.ts';
import { freePort } from '../run/processes/ports.ts';
import { makeRunDir, removeRunDir } from '../run/processes/run-dir.ts';
import type { Topology } from '../topology/model.ts';
import type { CompareSettings } from './compare-settings.ts';
import { measuredFigures, topologyInfo } from './figures.ts';
import { measureSettled, type SettledWindow } from './warm-until-stable.ts';

/** Hooks around one topology's run (progress, and a look at the running lab for tests). */
export interface TopologyRunHooks {
  onUpProgress?: ProgressListener;
  onLoadProgress?: LoadProgressListener;
  onPhase?: (phase: 'up' | 'load' | 'down') => void;
  /** Called once the lab is up (e.g. to read versions); a failure fails the topology. */
  onUp?: (lab: RunningLab, endpoints: LabEndpoints) => Promise<void>;
  /** Called after the measured window, before `down`; an error is rethrown after `down`. */
  afterMeasure?: (lab: RunningLab) => Promise<void>;
  signal?: AbortSignal;
  /** Parent of the topology's run folder; default `.lab/compare`. */
  runRoot: string;
  /** Brings the topology up and down (native processes or compose). */
  driver: Driver;
}

const since = (start: number): number => (performance.now() - start) / 1000;

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

function failed(
  t: Topology,
  phase: FailedTopology['phase'],
  error: unknown,
  timings: FailedTopology['timings'],
  runDir?: string,
): FailedTopology {
  const logs = runDir ? ` (logs: ${join(runDir, 'logs')})` : '';
  return {
    ...topologyInfo(t),
    status: 'failed',
    phase,
    error: `${messageOf(error)}${logs}`,
    timings,
  };
}

interface Stage {
  lab: RunningLab;
  driver: Driver;
  runDir: string;
  upSec: number;
}

async function bringUp(
  t: Topology,
  s: CompareSettings,
  hooks: TopologyRunHooks,
  runDir: string,
): Promise<Stage> {
  const started = performance.now();
  hooks.onPhase?.('up');
  const lab = await hooks.driver.up(t, {
    runDir,
    httpPort: await freePort(),
    seedUsers: s.seedUsers,
    appLogLevel: 'warn',
    onProgress: hooks.onUpProgress,
    signal: hooks.signal,
  });
  return { lab, driver: hooks.driver, runDir, upSec: since(started) };
}

/** Where the driver says the servers' own figures are read. */
async function endpointsOf(stage: Stage): Promise<LabEndpoints> {
  const { driver, lab } = stage;
  if (!driver.endpoints) {
    throw new ScrapeError('app', `the ${driver.name} driver does not say where its servers answer`);
  }
  return driver.endpoints(lab.state);
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown };

function attempt<T>(work: () => Promise<T>): Promise<Attempt<T>> {
  return work().then(
    (value): Attempt<T> => ({ ok: true, value }),
    (error: unknown): Attempt<T> => ({ ok: false, error }),
  );
}

async function load(stage: Stage, t: Topology, s: CompareSettings, hooks: TopologyRunHooks) {
  hooks.onPhase?.('load');
  const endpoints = await endpointsOf(stage);
  await hooks.onUp?.(stage.lab, endpoints);
  const probe = await costProbeOf(stage.driver, stage.lab);
  return measureSettled(stage.lab.url, endpoints, s, t.name, hooks.onLoadProgress, probe);
}

async function takeDown(stage: Stage, hooks: TopologyRunHooks): Promise<Attempt<void>> {
  hooks.onPhase?.('down');
  return attempt(() => stage.lab.down());
}

interface Ran {
  measured: Attempt<SettledWindow>;
  hook: Attempt<void>;
  down: Attempt<void>;
  loadSec: number;
  downSec: number;
}

async function loadAndDown(stage: Stage, t: Topology, s: CompareSettings, hooks: TopologyRunHooks) {
  const loadStart = performance.now();
  const measured = await attempt(() => load(stage, t, s, hooks));
  const hook: Attempt<void> = measured.ok
    ? await attempt(async () => hooks.afterMeasure?.(stage.lab))
    : { ok: true, value: undefined };
  const loadSec = since(loadStart);
  const downStart = performance.now();
  const down = await takeDown(stage, hooks);
  return { measured, hook, down, loadSec, downSec: since(downStart) } satisfies Ran;
}

/**
 * Brings `t` up with the hooks' driver, warms and loads it while scraping the servers around the measured
 * window, and takes it down. Failures become a `failed` outcome (an `afterMeasure` error is rethrown
 * once the lab is down); the run folder is removed after a clean run and kept, for its logs, otherwise.
 */
export async function runTopology(
  t: Topology,
  s: CompareSettings,
  hooks: TopologyRunHooks,
): Promise<TopologyOutcome> {
  const started = performance.now();
  const runDir = await makeRunDir(t.name, { base: hooks.runRoot });
  const up = await attempt(() => bringUp(t, s, hooks, runDir));
  if (!up.ok) return failed(t, 'up', up.error, timingsOf(started, since(started)), runDir);
  const ran = await loadAndDown(up.value, t, s, hooks);
  const timings = timingsOf(started, up.value.upSec, ran.loadSec, ran.downSec);
  if (!ran.hook.ok) throw ran.hook.error;
  if (!ran.measured.ok) {
    const phase = ran.measured.error instanceof ScrapeError ? 'scrape' : 'load';
    return failed(t, phase, ran.measured.error, timings, up.value.runDir);
  }
  const warnings: string[] = [];
  if (ran.down.ok) await removeRunDir(up.value.runDir);
  else
    warnings.push(
      `could not stop cleanly (logs kept in ${up.value.runDir}): ${messageOf(ran.down.error)}`,
    );
  return measuredFigures(t, { window: ran.measured.value, timings, warnings });
}

function timingsOf(started: number, upSec: number, loadSec = 0, downSec = 0) {
  return { upSec, loadSec, downSec, totalSec: since(started) };
}

/** Default parent of the compare run folders. */
export function defaultRunRoot(labDir: string): string {
  return join(labDir, 'compare');
}
