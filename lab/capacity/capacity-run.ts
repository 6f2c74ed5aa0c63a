import { join } from 'node:path';
import { runLoad } from '../../loadtests/runner/run-load.ts';
import { costProbeOf } from '../measure/cost/lab-components.ts';
import type { Driver, RunningLab } from '../run/driver/driver-types.ts';
import { freePort } from '../run/processes/ports.ts';
import { makeRunDir, removeRunDir } from '../run/processes/run-dir.ts';
import type { Topology } from '../topology/model.ts';
import type { CapacityRepeat } from './capacity-repeats.ts';
import { type CapacityStep, measureStep, type StepSettings } from './capacity-step.ts';
import { type SearchPlan, searchCapacity } from './step-search.ts';
import { fitUsl, type UslFit } from './usl.ts';

/** Everything one topology's search runs with. */
export interface TopologySearchSettings extends StepSettings {
  plan: SearchPlan;
  seedUsers: number;
  /** Unmeasured load before the first step, so the caches start warm. */
  prewarmSec: number;
  prewarmRps: number;
}

/** A topology whose capacity was searched. */
export interface SearchedTopology {
  topology: string;
  status: 'ok';
  network: string;
  maxSustainableRps: number | null;
  firstBrokenRps: number | null;
  stoppedBecause: string;
  steps: CapacityStep[];
  /** USL fitted to (concurrency, throughput) of the valid steps; absent with too few. */
  usl?: UslFit;
  timings: { upSec: number; searchSec: number; downSec: number };
  warnings: string[];
  /** With --repeat N > 1: the medians and intervals over the N searches (this is the median one). */
  repeat?: CapacityRepeat;
}

/** A topology that could not be searched. */
export interface FailedSearch {
  topology: string;
  status: 'failed';
  phase: 'up' | 'search' | 'down';
  error: string;
}

/** Hooks of one topology's search. */
export interface SearchHooks {
  driver: Driver;
  runRoot: string;
  signal?: AbortSignal;
  onStep?: (topology: string, step: CapacityStep) => void;
  onPhase?: (topology: string, phase: 'up' | 'prewarm' | 'search' | 'down') => void;
}

const since = (t: number): number => (performance.now() - t) / 1000;
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function prewarm(lab: RunningLab, t: Topology, s: TopologySearchSettings): Promise<void> {
  if (s.prewarmSec <= 0) return;
  await runLoad({
    baseUrl: lab.url,
    topology: t.name,
    workload: s.workload,
    keyCount: s.keyCount,
    rate: s.prewarmRps,
    durationSec: s.prewarmSec,
    warmupSec: 0,
    seed: s.seed + 7,
    timeoutMs: s.timeoutMs,
    maxInFlight: s.maxInFlight,
  });
}

async function search(lab: RunningLab, t: Topology, s: TopologySearchSettings, h: SearchHooks) {
  const endpoints = await (h.driver.endpoints?.(lab.state) ??
    Promise.reject(new Error(`the ${h.driver.name} driver cannot be measured`)));
  h.onPhase?.(t.name, 'prewarm');
  await prewarm(lab, t, s);
  h.onPhase?.(t.name, 'search');
  const probe = await costProbeOf(h.driver, lab);
  return searchCapacity(async (rate) => {
    h.signal?.throwIfAborted();
    const step = await measureStep(lab.url, endpoints, s, t, rate, probe);
    h.onStep?.(t.name, step);
    return step;
  }, s.plan);
}

/** USL over the steps whose generator kept up (an invalid step's throughput is the generator's). */
export function uslOf(steps: readonly CapacityStep[]): UslFit | undefined {
  const points = steps
    .filter((st) => st.valid)
    .map((st) => ({ concurrency: st.concurrency, throughput: st.throughputRps }));
  return fitUsl(points);
}

/**
 * Brings `t` up, warms it, searches its capacity step by step, and takes it down (always). A failure
 * becomes a FailedSearch; the run folder is kept for its logs then, removed otherwise.
 */
export async function searchTopology(
  t: Topology,
  s: TopologySearchSettings,
  h: SearchHooks,
): Promise<SearchedTopology | FailedSearch> {
  const runDir = await makeRunDir(t.name, { base: h.runRoot });
  const logs = ` (logs: ${join(runDir, 'logs')})`;
  let started = performance.now();
  h.onPhase?.(t.name, 'up');
  let lab: RunningLab;
  try {
    lab = await h.driver.up(t, {
      runDir,
      httpPort: await freePort(),
      seedUsers: s.seedUsers,
      appLogLevel: 'warn',
      signal: h.signal,
    });
  } catch (error) {
    return { topology: t.name, status: 'failed', phase: 'up', error: messageOf(error) + logs };
  }
  const upSec = since(started);
  started = performance.now();
  const found = await search(lab, t, s, h).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const searchSec = since(started);
  started = performance.now();
  h.onPhase?.(t.name, 'down');
  const down = await lab.down().then(
    () => undefined,
    (error: unknown) => messageOf(error),
  );
  if (!found.ok) {
    return {
      topology: t.name,
      status: 'failed',
      phase: 'search',
      error: messageOf(found.error) + logs,
    };
  }
  if (down === undefined) await removeRunDir(runDir);
  const { steps, maxSustainableRps, firstBrokenRps, stoppedBecause } = found.value;
  const usl = uslOf(steps);
  return {
    topology: t.name,
    status: 'ok',
    network: t.network?.profile ?? 'loopback',
    maxSustainableRps,
    firstBrokenRps,
    stoppedBecause,
    steps,
    ...(usl ? { usl } : {}),
    timings: { upSec, searchSec, downSec: since(started) },
    warnings: down === undefined ? [] : [`could not stop cleanly${logs}: ${down}`],
  };
}
