import { assembleRunResult, type RunMeasurements, type RunSettings } from '../result-assembly.ts';
import type { GeneratorCpu, RunResult } from '../result-types.ts';
import { type ResolvedOptions, type RunLoadOptions, resolveOptions } from './options.ts';
import { mergeSeriesParts, type SecondPoint } from './second-series.ts';
import type { ShareResult } from './share-run.ts';
import { epochNow, runSpread } from './spread-run.ts';
import { summarizeMicros } from './stats.ts';
import { mergeStatsParts } from './stats-part.ts';

export type { RunLoadOptions, RunProgress, WorkloadPhase } from './options.ts';
export type { SecondPoint } from './second-series.ts';

/** CPU of this process (every thread) sampled at the measured window's start and end. */
class WindowCpu {
  private timers: NodeJS.Timeout[] = [];
  private start: { at: number; cpu: NodeJS.CpuUsage } | undefined;
  private end: { at: number; cpu: NodeJS.CpuUsage } | undefined;

  /** Schedules the two samples on the shared clock. */
  arm(startAtEpochMs: number, o: ResolvedOptions): void {
    const sample = () => ({ at: epochNow(), cpu: process.cpuUsage() });
    const windowStart = startAtEpochMs + o.warmupSec * 1000;
    const windowEnd = windowStart + o.durationSec * 1000;
    this.timers.push(
      setTimeout(() => {
        this.start = sample();
      }, windowStart - epochNow()),
      setTimeout(() => {
        this.end = sample();
      }, windowEnd - epochNow()),
    );
  }

  /** The window's figures; a sample that did not fire (the run ended early) is taken now. */
  figures(workers: number, sent: number, utilizations: number[]): GeneratorCpu {
    for (const t of this.timers) clearTimeout(t);
    const now = { at: epochNow(), cpu: process.cpuUsage() };
    const start = this.start ?? now;
    const end = this.end ?? now;
    const cpuUs = end.cpu.user + end.cpu.system - start.cpu.user - start.cpu.system;
    const wallMs = Math.max(1, end.at - start.at);
    return {
      workers,
      cpuMs: cpuUs / 1000,
      cpuUsPerRequest: sent > 0 ? cpuUs / sent : 0,
      coresUsed: cpuUs / 1000 / wallMs,
      maxEventLoopUtilization: Math.min(1, Math.max(0, ...utilizations)),
    };
  }
}

/**
 * Drives the API with an open-model arrival rate and returns the measured window's statistics,
 * merged exactly across the worker threads the schedule was spread over.
 * Bounded in time: warm-up + duration + request timeout + a short grace.
 */
export async function runLoad(options: RunLoadOptions): Promise<RunResult> {
  return (await runLoadWithSeries(options)).result;
}

/** A run's result, and its per-second series (empty unless `series` was asked for). */
export interface SeriesRun {
  result: RunResult;
  series: SecondPoint[];
  /** The schedule's start, epoch ms: second t of the series began at startAtEpochMs + 1000·t. */
  startAtEpochMs: number;
}

/** runLoad, also returning the per-second series merged across the worker threads. */
export async function runLoadWithSeries(options: RunLoadOptions): Promise<SeriesRun> {
  const o = resolveOptions(options);
  const cpu = new WindowCpu();
  let startAtEpochMs = 0;
  const shares = await runSpread(o, (startAt) => {
    startAtEpochMs = startAt;
    cpu.arm(startAt, o);
    o.onStart?.(startAt);
  });
  const startedAt = shares.map((s) => s.startedAt).sort()[0] ?? new Date().toISOString();
  const measured = measurementsOf(o, shares);
  measured.generatorCpu = cpu.figures(
    o.workers,
    measured.requests.sent,
    shares.map((s) => s.eventLoopUtilization),
  );
  const result = assembleRunResult(settingsOf(o, startedAt), measured, o.maxLagP99Ms);
  const parts = shares.flatMap((s) => (s.series ? [s.series] : []));
  return { result, series: mergeSeriesParts(parts), startAtEpochMs };
}

/** The settings half of a RunResult, from the resolved options. */
export function settingsOf(o: ResolvedOptions, startedAt: string): RunSettings {
  return {
    generator: 'node',
    topology: o.topology,
    workload: o.workload.name,
    startedAt,
    durationSec: o.durationSec,
    warmupSec: o.warmupSec,
    keyCount: o.keyCount,
    seed: o.seed,
    offeredRps: o.rate,
    maxInFlight: o.maxInFlight,
    timeoutMs: o.timeoutMs,
  };
}

/** The measured half of a RunResult: the shares merged exactly (histograms and counts added). */
export function measurementsOf(o: ResolvedOptions, shares: ShareResult[]): RunMeasurements {
  const { stats, staleness } = mergeStatsParts(shares.map((s) => s.part));
  const measuredSpanSec = Math.max(0, ...shares.map((s) => s.measuredSpanSec));
  const lag = summarizeMicros(stats.lag);
  const read = summarizeMicros(stats.byOp.read);
  const write = summarizeMicros(stats.byOp.write);
  return {
    requests: stats.requests,
    // A generator that fell behind stretched the window: divide by the span it actually took.
    achievedRps: stats.requests.sent / Math.max(o.durationSec, measuredSpanSec),
    schedulingLagMs: { p50: lag.p50, p99: lag.p99, max: lag.max },
    errors: stats.errors,
    errorSamples: stats.errorSamples,
    latencyMs: summarizeMicros(stats.latency),
    latencyMsByCacheResult: stats.latencyByCache(),
    latencyMsByOp: { ...(read.count > 0 ? { read } : {}), ...(write.count > 0 ? { write } : {}) },
    cacheResults: stats.cacheResults,
    servedBy: stats.servedBy,
    staleReads: staleness.staleReads,
    graceStaleReads: staleness.graceStaleReads,
    staleReadRate: staleness.staleReadRate,
    maxStaleWindowMs: staleness.maxStaleWindowMs,
  };
}
