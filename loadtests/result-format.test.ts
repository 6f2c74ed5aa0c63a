import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { invalidReasonsOf } from './result-assembly.ts';
import { emptyLatency, parseRunResult, type RunResult } from './result-format.ts';
import { formatRunSummary } from './result-summary.ts';
import { RESULT_SCHEMA_PATH, resultSchemaText } from './write-result-schema.ts';

/** A plausible, valid result. */
function sampleResult(): RunResult {
  const latency = { count: 950, mean: 1.2, p50: 1, p90: 2, p95: 3, p99: 5, p999: 9, max: 12 };
  return {
    schemaVersion: 1,
    generator: 'node',
    topology: 'local',
    workload: 'read-heavy',
    startedAt: '2025-01-02T03:04:05.678Z',
    durationSec: 10,
    warmupSec: 2,
    keyCount: 1000,
    seed: 1,
    offeredRps: 100,
    achievedRps: 99.9,
    throughputRps: 99.5,
    valid: true,
    invalidReasons: [],
    requests: { scheduled: 1000, sent: 1000, dropped: 0, completed: 995, reads: 950, writes: 50 },
    errors: { timeout: 5, connection: 0, http4xx: 0, http5xx: 0, other: 0 },
    errorSamples: { timeout: 'Headers Timeout Error' },
    latencyMs: latency,
    latencyMsByCacheResult: { 'HIT-L1': latency, MISS: emptyLatency() },
    latencyMsByOp: { read: latency },
    cacheResults: { 'HIT-L1': 900, MISS: 50 },
    servedBy: { 'app-1': 500, 'app-2': 495 },
    staleReads: 3,
    staleReadRate: 3 / 950,
    maxStaleWindowMs: 42.5,
    schedulingLagMs: { p50: 0.1, p99: 1.5, max: 4 },
    maxInFlight: 256,
    timeoutMs: 2000,
  };
}

describe('RunResult schema', () => {
  it('the committed JSON Schema matches the zod schema (regenerate: make generate)', async () => {
    expect(JSON.parse(await readFile(RESULT_SCHEMA_PATH, 'utf8'))).toEqual(
      JSON.parse(resultSchemaText()),
    );
  });

  it('accepts a valid result and survives a JSON round trip', () => {
    const r = sampleResult();
    expect(parseRunResult(JSON.parse(JSON.stringify(r)))).toEqual(r);
  });

  it.each([
    ['a missing field', (r: Record<string, unknown>) => delete r.staleReads],
    ['an unknown field', (r: Record<string, unknown>) => (r.extra = 1)],
    ['an unknown generator', (r: Record<string, unknown>) => (r.generator = 'wrk')],
    ['an unknown cache label', (r: Record<string, unknown>) => (r.cacheResults = { HIT: 1 })],
    ['a fractional count', (r: Record<string, unknown>) => (r.staleReads = 1.5)],
    ['a non-ISO start time', (r: Record<string, unknown>) => (r.startedAt = 'yesterday')],
  ])('rejects %s', (_name, mutate) => {
    const r = sampleResult() as unknown as Record<string, unknown>;
    mutate(r);
    expect(() => parseRunResult(r)).toThrow(/invalid RunResult/);
  });
});

describe('invalidReasonsOf', () => {
  const figures = () => {
    const { requests, offeredRps, achievedRps, schedulingLagMs } = sampleResult();
    return { requests: { ...requests }, offeredRps, achievedRps, schedulingLagMs };
  };

  it('accepts a generator that kept up', () => {
    expect(invalidReasonsOf(figures(), 20)).toEqual([]);
  });

  it('flags drops over 1%, a low achieved rate, and scheduling lag', () => {
    const f = figures();
    f.requests.dropped = 20;
    f.achievedRps = 90;
    f.schedulingLagMs = { p50: 1, p99: 30, max: 50 };
    const reasons = invalidReasonsOf(f, 20);
    expect(reasons).toHaveLength(3);
    expect(reasons.join('\n')).toMatch(
      /dropped 2\.00%[\s\S]*achieved 90\.0\/s[\s\S]*lag p99 30\.00 ms/,
    );
  });

  it.each([
    [0.9, 1.8, []],
    [0.97, 1.8, ['generator CPU saturated: its busiest event loop was busy 97% of the window']],
    [
      0.97,
      0.2,
      [
        'generator CPU-starved (the machine is overloaded): its busiest event loop was busy 97% of the window',
      ],
    ],
  ])('judges a busiest generator loop at %f with %f cores', (utilization, coresUsed, expected) => {
    const generatorCpu = {
      workers: 2,
      cpuMs: 900,
      cpuUsPerRequest: 9,
      coresUsed,
      maxEventLoopUtilization: utilization,
    };
    const reasons = invalidReasonsOf({ ...figures(), generatorCpu }, 20);
    expect(reasons.map((r) => r.replace(/ \(limit.*$/, ''))).toEqual(expected);
  });
});

describe('formatRunSummary', () => {
  it('shows the verdict, rates, percentiles, tallies and staleness', () => {
    const text = formatRunSummary({
      ...sampleResult(),
      valid: false,
      invalidReasons: ['dropped 2%'],
    });
    for (const part of [
      'INVALID (dropped 2%)',
      'offered 100.0/s',
      'p99=5.00',
      'HIT-L1=900',
      'app-2=495',
      'stale reads: 3',
      'generator: CPU not measured',
    ]) {
      expect(text).toContain(part);
    }
  });
});
