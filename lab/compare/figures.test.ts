import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../loadtests/result-types.ts';
import type { ServerDelta } from '../measure/scrape/snapshot.ts';
import { measuredTopologySchema } from '../report/results-schema.ts';
import { getTopology } from '../topology/catalog.ts';
import { clientHitRatio, countsAgree, hitRatioOf, measuredFigures, tiersOf } from './figures.ts';

describe('tiers and hit ratios', () => {
  it('knows which tiers each cache mode has', () => {
    expect(tiersOf('none')).toEqual({ l1: false, l2: false });
    expect(tiersOf('local-disk')).toEqual({ l1: true, l2: false });
    expect(tiersOf('global-sharded')).toEqual({ l1: false, l2: true });
    expect(tiersOf('two-tier')).toEqual({ l1: true, l2: true });
  });

  it('computes L2 over the reads L1 missed, like the simulator', () => {
    expect(hitRatioOf(tiersOf('two-tier'), { l1Hits: 50, l2Hits: 25, reads: 100 })).toEqual({
      overall: 0.75,
      l1: 0.5,
      l2: 0.5,
    });
    expect(hitRatioOf(tiersOf('none'), { l1Hits: 0, l2Hits: 0, reads: 100 })).toEqual({
      overall: null,
      l1: null,
      l2: null,
    });
    expect(hitRatioOf(tiersOf('local'), { l1Hits: 0, l2Hits: 0, reads: 0 }).overall).toBeNull();
  });

  it('reads client-side ratios from X-Cache counts (errors without a header excluded)', () => {
    const ratio = clientHitRatio(tiersOf('global'), { 'HIT-L2': 30, MISS: 10, NONE: 60 });
    expect(ratio).toEqual({ overall: 0.75, l1: null, l2: 0.75 });
  });

  it('cross-checks counts within 2% or 2', () => {
    expect(countsAgree(1000, 985)).toBe(true);
    expect(countsAgree(3, 1)).toBe(true);
    expect(countsAgree(1000, 950)).toBe(false);
  });
});

describe('measuredFigures', () => {
  const run = {
    workload: 'read-heavy',
    offeredRps: 150,
    achievedRps: 150,
    throughputRps: 149,
    valid: true,
    invalidReasons: [],
    requests: { scheduled: 100, sent: 100, dropped: 0, completed: 100, reads: 90, writes: 10 },
    errors: { timeout: 1, connection: 0, http4xx: 0, http5xx: 0, other: 0 },
    latencyMs: { count: 100, mean: 2, p50: 1, p90: 3, p95: 4, p99: 9, p999: 10, max: 11 },
    latencyMsByCacheResult: {},
    cacheResults: { 'HIT-L1': 40, 'HIT-L2': 20, MISS: 30 },
    servedBy: { 'app-1': 60, 'app-2': 40 },
    staleReads: 0,
    staleReadRate: 0,
    maxStaleWindowMs: 0,
    schedulingLagMs: null,
  } as unknown as RunResult;
  const app = (server: string, requests: number, queries: number) => ({
    server,
    profileRequests: requests,
    profileReads: {},
    cacheOps: {},
    dbQueries: { profile_aggregate: queries, profile_update: 5 },
    dbSeconds: {},
    evictions: 0,
    invalidationsSent: 1,
    invalidationsReceived: 2,
    cacheErrors: 0,
    l1Entries: 7,
    l1Bytes: 7000,
  });
  const delta: ServerDelta = {
    seconds: 10,
    apps: [app('app-1', 60, 20), app('app-2', 40, 10)],
    redis: [
      {
        node: 'redis-1',
        role: 'master',
        ops: 200,
        commands: { get: 200, set: 0 },
        keyspaceHits: 20,
        keyspaceMisses: 30,
        keys: 9,
        usedMemoryBytes: 2_000_000,
      },
    ],
    postgres: {
      xactCommit: 40,
      tupReturned: 0,
      blksHit: 9,
      blksRead: 1,
      aggregateCalls: 29,
      aggregateTotalMs: 58,
    },
  };

  it('derives every recorded figure and satisfies the schema', () => {
    const timings = { upSec: 1, loadSec: 2, downSec: 0.1, totalSec: 3.1 };
    const f = measuredFigures(getTopology('two-tier'), {
      window: { run, halves: [{}, {}], delta, scrapeLagSec: 0, warnings: ['w'] },
      timings,
      warnings: [],
    });
    expect(f.hitRatio).toEqual({ overall: 60 / 90, l1: 40 / 90, l2: 20 / 50 });
    expect(f.dbQueriesPerRequest).toBe(0.3);
    expect(f.database).toMatchObject({
      statementsCalls: 29,
      statementsMeanMs: 2,
      crossCheck: 'agree',
    });
    expect(f.redisOpsPerNode).toEqual([
      expect.objectContaining({ node: 'redis-1', opsPerSec: 20, commands: { get: 200 } }),
    ]);
    expect(f.appServers.map((a) => [a.server, a.requests, a.serverRequests])).toEqual([
      ['app-1', 60, 60],
      ['app-2', 40, 40],
    ]);
    expect(f.errorRate).toBe(0.01);
    expect(f.warnings).toEqual(['w']);
    expect(measuredTopologySchema.parse(f)).toEqual(f);
  });
});
