import { availableParallelism } from 'node:os';
import { isWorkloadName, WORKLOADS, type WorkloadName, type WorkloadSpec } from '../workload.ts';

/** What a run reports while it goes, about once a second. */
export interface RunProgress {
  phase: 'warmup' | 'measure' | 'drain';
  elapsedSec: number;
  /** Counts so far, warm-up included. */
  sent: number;
  completed: number;
  dropped: number;
  failed: number;
  inFlight: number;
}

/** Options of runLoad. */
export interface RunLoadOptions {
  /** Origin of the API, e.g. http://127.0.0.1:8080 */
  baseUrl: string;
  workload: WorkloadName | WorkloadSpec;
  keyCount: number;
  /** Offered arrival rate, requests per second, whatever the latency. */
  rate: number;
  durationSec: number;
  warmupSec: number;
  seed: number;
  /** Headers and body timeout of each request. */
  timeoutMs: number;
  /** In-flight cap: a start that would exceed it is counted as dropped, not sent. */
  maxInFlight: number;
  /** Label recorded in the result. */
  topology: string;
  onProgress?: (progress: RunProgress) => void;
  /**
   * Keep-alive connections (default min(maxInFlight, 256)). Bursts would otherwise open one socket per
   * request; beyond this many, requests wait for a socket and that wait counts as latency.
   */
  connections?: number;
  /** Scheduling lag p99 above this marks the run invalid (default 20 ms). */
  maxLagP99Ms?: number;
  progressIntervalMs?: number;
  /**
   * Worker threads sharing the schedule, each owning the keys with id % workers === its index
   * (default: 1 up to AUTO_SPREAD_RPS, otherwise one per available core).
   */
  workers?: number;
  /** HTTP client: 'raw' (lean, on sockets; default) or 'undici' (a full client, the reference). */
  client?: LoadClientKind;
  /** Workload changes mid-run, each from `atSec` into the schedule (warm-up included), in order. */
  phases?: WorkloadPhase[];
  /** Also count every second of the schedule (RunResult stays the same; see runLoadWithSeries). */
  series?: boolean;
  /** Called once with the schedule's start (epoch ms, performance.timeOrigin + now). */
  onStart?: (startAtEpochMs: number) => void;
  /** Ends the schedule early (no more starts; in-flight requests drain). One worker thread only. */
  signal?: AbortSignal;
}

/** From `atSec` seconds into the schedule, operations are drawn from `workload`. */
export interface WorkloadPhase {
  atSec: number;
  workload: WorkloadName | WorkloadSpec;
}

/** The HTTP clients the runner can send with. */
export type LoadClientKind = 'raw' | 'undici';

/** Options with every default filled in and the workload resolved. */
export interface ResolvedOptions
  extends Required<
    Omit<RunLoadOptions, 'onProgress' | 'workload' | 'phases' | 'onStart' | 'signal'>
  > {
  workload: WorkloadSpec;
  phases: { atSec: number; workload: WorkloadSpec }[];
  onProgress: ((progress: RunProgress) => void) | undefined;
  onStart: ((startAtEpochMs: number) => void) | undefined;
  signal: AbortSignal | undefined;
}

/** Default cap on keep-alive connections. */
export const DEFAULT_MAX_CONNECTIONS = 256;

/** Above this offered rate the default is one worker thread per available core. */
export const AUTO_SPREAD_RPS = 2000;

/** Default scheduling-lag p99 limit of a valid run. */
export const DEFAULT_MAX_LAG_P99_MS = 20;

function positive(name: string, value: number, integer = false): void {
  if (!(Number.isFinite(value) && value > 0) || (integer && !Number.isInteger(value))) {
    throw new RangeError(
      `${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`,
    );
  }
}

function specOf(workload: WorkloadName | WorkloadSpec): WorkloadSpec {
  if (typeof workload === 'string' && !isWorkloadName(workload)) {
    throw new RangeError(`unknown workload ${String(workload)}`);
  }
  return typeof workload === 'string' ? WORKLOADS[workload] : workload;
}

function resolvePhases(phases: readonly WorkloadPhase[]): ResolvedOptions['phases'] {
  let previous = 0;
  return phases.map((p) => {
    if (!(Number.isFinite(p.atSec) && p.atSec >= previous)) {
      throw new RangeError(`phases must start at increasing atSec >= 0, got ${p.atSec}`);
    }
    previous = p.atSec;
    return { atSec: p.atSec, workload: specOf(p.workload) };
  });
}

/** Validates runLoad's options and fills in defaults; throws RangeError on a bad value. */
export function resolveOptions(o: RunLoadOptions): ResolvedOptions {
  const url = new URL(o.baseUrl);
  if (url.protocol !== 'http:') throw new RangeError(`baseUrl must be http://, got ${o.baseUrl}`);
  if (typeof o.workload === 'string' && !isWorkloadName(o.workload)) {
    throw new RangeError(`unknown workload ${String(o.workload)}`);
  }
  positive('rate', o.rate);
  positive('durationSec', o.durationSec);
  positive('timeoutMs', o.timeoutMs);
  positive('keyCount', o.keyCount, true);
  positive('maxInFlight', o.maxInFlight, true);
  if (!(o.warmupSec >= 0)) throw new RangeError(`warmupSec must be >= 0, got ${o.warmupSec}`);
  if (!Number.isSafeInteger(o.seed)) throw new RangeError(`seed must be an integer, got ${o.seed}`);
  const connections = o.connections ?? Math.min(o.maxInFlight, DEFAULT_MAX_CONNECTIONS);
  positive('connections', connections, true);
  const workers = o.workers ?? (o.rate <= AUTO_SPREAD_RPS ? 1 : availableParallelism());
  positive('workers', workers, true);
  if (o.signal && workers > 1) throw new RangeError('signal needs a single worker thread');
  return {
    ...o,
    baseUrl: url.origin,
    workload: specOf(o.workload),
    phases: resolvePhases(o.phases ?? []),
    series: o.series ?? false,
    onStart: o.onStart,
    signal: o.signal,
    connections,
    workers,
    client: o.client ?? 'raw',
    maxLagP99Ms: o.maxLagP99Ms ?? DEFAULT_MAX_LAG_P99_MS,
    progressIntervalMs: o.progressIntervalMs ?? 1000,
    onProgress: o.onProgress,
  };
}
