// Hand-written figures for unit tests of the pure report and diff code (never used by the lab itself).
import type { ComparisonResults, MeasuredTopology } from './results-types.ts';

const latency = (p50: number, p99: number) => ({
  count: 1000,
  mean: p50,
  p50,
  p90: (p50 + p99) / 2,
  p95: (p50 + p99) / 2,
  p99,
  p999: p99 * 1.5,
  max: p99 * 2,
});

/** A valid measured topology; `over` replaces any field. */
export function measuredFixture(
  name: string,
  over: Partial<MeasuredTopology> = {},
): MeasuredTopology {
  return {
    topology: name,
    question: `what does ${name} do?`,
    appServerCount: 3,
    cacheMode: 'local',
    redisLayout: '-',
    loadBalancing: 'round-robin',
    status: 'ok',
    workload: 'read-heavy',
    offeredRps: 150,
    achievedRps: 150,
    throughputRps: 150,
    valid: true,
    invalidReasons: [],
    requests: { scheduled: 1200, sent: 1200, dropped: 0, completed: 1200, reads: 1140, writes: 60 },
    errors: { timeout: 0, connection: 0, http4xx: 0, http5xx: 0, other: 0 },
    errorRate: 0,
    latencyMs: latency(2, 20),
    latencyMsByCacheResult: {},
    cacheResults: { 'HIT-L1': 570, MISS: 570 },
    hitRatio: { overall: 0.5, l1: 0.5, l2: null },
    hitRatioServerSide: { overall: 0.5, l1: 0.5, l2: null },
    dbQueriesPerRequest: 0.475,
    database: {
      aggregateQueries: 570,
      updateQueries: 60,
      serverRequests: 1200,
      statementsCalls: 570,
      statementsMeanMs: 3,
      crossCheck: 'agree',
      xactCommit: 700,
      tupReturned: 1000,
      blksHit: 990,
      blksRead: 10,
    },
    redisOpsPerNode: [],
    staleReads: 0,
    staleReadRate: 0,
    maxStaleWindowMs: 0,
    appServers: [
      {
        server: 'app-1',
        requests: 1200,
        serverRequests: 1200,
        l1Entries: 300,
        evictions: 0,
        invalidationsSent: 0,
        invalidationsReceived: 0,
        cacheErrors: 0,
      },
    ],
    schedulingLagMs: { p50: 0.5, p99: 3, max: 8 },
    serverWindowSec: 8,
    warnings: [],
    timings: { upSec: 10, loadSec: 12, downSec: 0.3, totalSec: 22.3 },
    ...over,
  };
}

/** A results file around `topologies` (no calibration, no simulation unless given in `over`). */
export function resultsFixture(
  topologies: ComparisonResults['topologies'],
  over: Partial<ComparisonResults> = {},
): ComparisonResults {
  return {
    schemaVersion: 1,
    kind: 'cachelab-compare',
    runId: '20260101-000000-read-heavy',
    createdAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:03:00.000Z',
    elapsedSec: 180,
    parameters: {
      workload: 'read-heavy',
      quick: true,
      rate: 150,
      warmupSec: 4,
      durationSec: 8,
      seedUsers: 20_000,
      keyCount: 20_000,
      seed: 1,
      timeoutMs: 2000,
      maxInFlight: 256,
      maxLagP99Ms: 20,
      topologies: topologies.map((t) => t.topology),
      driver: 'native',
    },
    machine: {
      cpuModel: 'Test CPU',
      cores: 2,
      memoryBytes: 24 * 1024 ** 3,
      platform: 'linux',
      osRelease: '6.1',
      arch: 'x64',
    },
    versions: { node: '20.0.0', postgres: '15.0', redis: '7.0.15', nginx: '1.22.1' },
    topologies,
    calibration: null,
    simulation: null,
    ...over,
  };
}
