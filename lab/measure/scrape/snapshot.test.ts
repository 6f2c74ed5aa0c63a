import { describe, expect, it } from 'vitest';
import type { AppCounters } from './app-metrics.ts';
import { ScrapeError } from './scrape-error.ts';
import {
  clampNegatives,
  missingAppsWarning,
  type ServerSnapshot,
  scrapeApps,
  subtractSnapshots,
} from './snapshot.ts';

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

describe('scrapeApps', () => {
  const targets = [
    { server: 'app-1', url: 'http://127.0.0.1:1' },
    { server: 'app-2', url: 'http://127.0.0.1:2' },
  ];

  it('lists a server whose /metrics failed, with the reason, and keeps the others', async () => {
    const result = await scrapeApps(targets, async (server) => {
      if (server === 'app-2')
        throw new ScrapeError('app', 'could not scrape app-2', new Error('timeout'));
      return app(server, 10);
    });
    expect(result.apps.map((a) => a.server)).toEqual(['app-1']);
    expect(result.missingApps).toEqual([
      { server: 'app-2', reason: 'could not scrape app-2: timeout' },
    ]);
  });

  it('fails with the first error when no server answered', async () => {
    const failing = async (server: string): Promise<AppCounters> => {
      throw new ScrapeError('app', `could not scrape ${server}`);
    };
    await expect(scrapeApps(targets, failing)).rejects.toThrow('could not scrape app-1');
  });
});

describe('missing app servers', () => {
  it('are left out of the delta and flagged with where and why', () => {
    const after: ServerSnapshot = {
      ...snapshot(5000, 100),
      apps: [app('app-1', 100)],
      missingApps: [{ server: 'app-2', reason: 'timeout' }],
    };
    const delta = subtractSnapshots(after, snapshot(1000, 40));
    expect(delta.apps.map((a) => a.server)).toEqual(['app-1']);
    expect(delta.missingApps).toEqual([
      { server: 'app-2', reason: "at the window's end: timeout" },
    ]);
    const warning = missingAppsWarning(delta);
    expect(warning).toContain('app figures cover 1 of 2 servers (app-2 left out');
    expect(warning).toContain("app-2 at the window's end: timeout");
  });

  it('flags nothing when every server answered', () => {
    expect(missingAppsWarning(subtractSnapshots(snapshot(2000, 50), snapshot(1000, 40)))).toBe(
      undefined,
    );
  });
});
