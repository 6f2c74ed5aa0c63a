import { Pool } from 'undici';
import { assembleRunResult, type RunMeasurements, type RunSettings } from '../result-assembly.ts';
import type { RunResult } from '../result-types.ts';
import { OpenLoop, type OpenLoopOutcome } from './open-loop.ts';
import { type ResolvedOptions, type RunLoadOptions, resolveOptions } from './options.ts';
import { summarizeMicros } from './stats.ts';

export type { RunLoadOptions, RunProgress } from './options.ts';

/**
 * Drives the API with an open-model arrival rate and returns the measured window's statistics.
 * Bounded in time: warm-up + duration + request timeout + a short grace.
 */
export async function runLoad(options: RunLoadOptions): Promise<RunResult> {
  const o = resolveOptions(options);
  const pool = new Pool(o.baseUrl, {
    connections: o.connections,
    pipelining: 1,
    headersTimeout: o.timeoutMs,
    bodyTimeout: o.timeoutMs,
    connectTimeout: o.timeoutMs,
    keepAliveTimeout: 30_000,
  });
  try {
    const outcome = await new OpenLoop(o, pool).run();
    return assembleRunResult(
      settingsOf(o, outcome.startedAt),
      measurementsOf(o, outcome),
      o.maxLagP99Ms,
    );
  } finally {
    if (!pool.destroyed) await pool.destroy();
  }
}

function settingsOf(o: ResolvedOptions, startedAt: Date): RunSettings {
  return {
    generator: 'node',
    topology: o.topology,
    workload: o.workload.name,
    startedAt: startedAt.toISOString(),
    durationSec: o.durationSec,
    warmupSec: o.warmupSec,
    keyCount: o.keyCount,
    seed: o.seed,
    offeredRps: o.rate,
    maxInFlight: o.maxInFlight,
    timeoutMs: o.timeoutMs,
  };
}

function measurementsOf(o: ResolvedOptions, out: OpenLoopOutcome): RunMeasurements {
  const { stats, staleness } = out;
  const lag = summarizeMicros(stats.lag);
  const read = summarizeMicros(stats.byOp.read);
  const write = summarizeMicros(stats.byOp.write);
  return {
    requests: stats.requests,
    // A generator that fell behind stretched the window: divide by the span it actually took.
    achievedRps: stats.requests.sent / Math.max(o.durationSec, out.measuredSpanSec),
    schedulingLagMs: { p50: lag.p50, p99: lag.p99, max: lag.max },
    errors: stats.errors,
    errorSamples: stats.errorSamples,
    latencyMs: summarizeMicros(stats.latency),
    latencyMsByCacheResult: stats.latencyByCache(),
    latencyMsByOp: { ...(read.count > 0 ? { read } : {}), ...(write.count > 0 ? { write } : {}) },
    cacheResults: stats.cacheResults,
    servedBy: stats.servedBy,
    staleReads: staleness.staleReads,
    staleReadRate: staleness.staleReadRate,
    maxStaleWindowMs: staleness.maxStaleWindowMs,
  };
}
