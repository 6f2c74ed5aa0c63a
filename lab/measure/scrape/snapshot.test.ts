import { describe, expect, it } from 'vitest';
import type { AppCounters } from './app-metrics.ts';
import { clampNegatives, type ServerSnapshot, subtractSnapshots } from './snapshot.ts';

const app = (server: string, requests: number): AppCounters => ({
  server,
  profileRequests: requests,
  profileReads: {},
  cacheOps: {},
  dbQueries: { profile_aggregate: requests / 2 },
  dbSeconds: {},
  evictions: 0,
  invalidationsSent: 0,
  invalidationsReceived: 0,
  cacheErrors: 0,
  l1Entries: 0,
  l1Bytes: 0,
});

const pg = (calls: number) => ({
  xactCommit: calls,
  tupReturned: 0,
  blksHit: 0,
  blksRead: 0,
  aggregateCalls: calls,
  aggregateTotalMs: calls * 2,
});

const snapshot = (at: number, requests: number): ServerSnapshot => ({
  at,
  apps: [app('app-1', requests), app('app-2', requests * 2)],
  redis: [],
  postgres: pg(requests),
});

describe('subtractSnapshots', () => {
  it('matches servers by label and subtracts every counter', () => {
    const delta = subtractSnapshots(snapshot(5000, 100), snapshot(1000, 40));
    expect(delta.seconds).toBe(4);
    expect(delta.apps.map((a) => [a.server, a.profileRequests])).toEqual([
      ['app-1', 60],
      ['app-2', 120],
    ]);
    expect(delta.postgres).toMatchObject({ aggregateCalls: 60, aggregateTotalMs: 120 });
  });
});

describe('clampNegatives', () => {
  it('sets counters that went backwards to 0 and says where', () => {
    const delta = subtractSnapshots(snapshot(2000, 10), snapshot(1000, 40));
    const { delta: clamped, paths } = clampNegatives(delta);
    expect(clamped.apps[0]?.profileRequests).toBe(0);
    expect(paths).toContain('delta.apps[0].profileRequests');
    expect(paths).toContain('delta.postgres.aggregateCalls');
  });

  it('leaves a clean delta untouched', () => {
    const delta = subtractSnapshots(snapshot(2000, 50), snapshot(1000, 40));
    expect(clampNegatives(delta)).toEqual({ delta, paths: [] });
  });
});
