import { type CapacityResults, parseCapacityResults } from './capacity-schema.ts';
import type { CapacityStep } from './capacity-step.ts';
import { DEFAULT_SLO } from './slo.ts';
import { DEFAULT_SEARCH_PLAN } from './step-search.ts';

/** A capacity step at `rate` with p99 `p99`, meeting the SLO or not. */
export function capacityStepFixture(rate: number, p99: number, ok: boolean): CapacityStep {
  const latency = {
    count: rate * 3,
    mean: p99 / 4,
    p50: p99 / 5,
    p90: p99 / 2,
    p95: p99 / 1.5,
    p99,
    p999: p99 * 2,
    max: p99 * 3,
  };
  return {
    rate,
    ok,
    offeredRps: rate,
    achievedRps: rate,
    throughputRps: rate * 0.99,
    valid: true,
    invalidReasons: [],
    sloBreaches: ok ? [] : [`p99 ${p99} ms > 50 ms`],
    latencyMs: latency,
    errorRate: 0,
    concurrency: (rate * 0.99 * latency.mean) / 1000,
    hitRatio: 0.8,
  };
}

/** Capacity results: local searched (1800 req/s), no-cache failed. */
export function capacityResultsFixture(): CapacityResults {
  return parseCapacityResults({
    schemaVersion: 1,
    kind: 'cachelab-capacity',
    runId: '20261207-113000-capacity-read-heavy',
    createdAt: '2026-12-07T11:30:00.000Z',
    finishedAt: '2026-12-07T11:40:00.000Z',
    elapsedSec: 600,
    parameters: {
      workload: 'read-heavy',
      slo: DEFAULT_SLO,
      sloText: 'p99 ≤ 50 ms, errors ≤ 0.1%',
      network: 'loopback',
      driver: 'native',
      seedUsers: 20_000,
      keyCount: 20_000,
      stepWarmupSec: 1,
      stepSec: 3,
      prewarmSec: 4,
      plan: DEFAULT_SEARCH_PLAN,
      topologies: ['local', 'no-cache'],
    },
    machine: {
      cpuModel: 'x',
      cores: 2,
      memoryBytes: 1e9,
      platform: 'linux',
      osRelease: '6',
      arch: 'x64',
    },
    node: 'v20.20.2',
    loadAverage: { before: 0.5, after: 1.2 },
    topologies: [
      {
        topology: 'local',
        status: 'ok',
        network: 'loopback',
        maxSustainableRps: 1800,
        firstBrokenRps: 1900,
        stoppedBecause: 'bracketed within 5%',
        steps: [
          capacityStepFixture(200, 4, true),
          capacityStepFixture(1800, 30, true),
          capacityStepFixture(1900, 80, false),
        ],
        usl: {
          lambda: 900,
          sigma: 0.05,
          kappa: 0.001,
          peakConcurrency: 30.8,
          peakThroughput: 5000,
          r2: 0.98,
          points: 3,
        },
        timings: { upSec: 10, searchSec: 60, downSec: 2 },
        warnings: [],
      },
      { topology: 'no-cache', status: 'failed', phase: 'up', error: 'postgres would not start' },
    ],
  });
}
