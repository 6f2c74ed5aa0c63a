import { describe, expect, it } from 'vitest';
import type { SecondPoint } from '../../../loadtests/runner/run-load.ts';
import type { ScenarioSecond } from '../../report/scenario-results-schema.ts';
import { breachesOf, DEFAULT_TOLERANCES } from '../hypothesis.ts';
import { busPartitionTable } from '../report/scenario-tables.ts';
import { getScenario } from '../scenario-catalog.ts';
import { busCutOf, busPartitionFigure } from './bus-partition.ts';
import type { ServerSample } from './server-sample.ts';

type Reads = { l1: number; l2: number; stale: number };

/** One second where app-1 and app-3 read normally and app-2 reads as `app2` says. */
function point(t: number, app2: Reads): SecondPoint {
  const server = (r: Reads) => ({
    cache: { 'HIT-L1': r.l1, 'HIT-L2': r.l2 },
    staleReads: r.stale,
  });
  const normal = { l1: 20, l2: 10, stale: 0 };
  return {
    t,
    scheduled: 100,
    sent: 100,
    dropped: 0,
    ok: 100,
    errors: { timeout: 0, connection: 0, http4xx: 0, http5xx: 0, other: 0 },
    p50Ms: 1,
    p99Ms: 2,
    cache: {},
    staleReads: app2.stale,
    maxStaleWindowMs: 0,
    servers: { 'app-1': server(normal), 'app-2': server(app2), 'app-3': server(normal) },
  };
}

const cut = { server: 'app-2', cutSec: 8, restoredSec: 13 };

/** The servers' /metrics: app-2 hears nothing during the cut, and `app2After` after it. */
function samples(l1: (t: number) => number, app2After: number): ServerSample[] {
  return Array.from({ length: 17 }, (_, t) => {
    const app2 = t < 8 ? 10 : t < 13 ? 0 : app2After;
    const app = (receivedPerSec: number, l1Entries: number) => ({ l1Entries, receivedPerSec });
    return {
      t,
      dbQps: 10,
      redisOps: {},
      apps: { 'app-1': app(10, 100), 'app-2': app(app2, l1(t)), 'app-3': app(10, 100) },
    };
  });
}

/** 17 s: app-2 normal, stale for 2 s after the cut, on L2 only until the return, then `after`. */
function run(after: (t: number) => Reads): SecondPoint[] {
  return Array.from({ length: 17 }, (_, t) => {
    if (t < 8) return point(t, { l1: 20, l2: 10, stale: 0 });
    if (t < 10) return point(t, { l1: 15, l2: 15, stale: 3 });
    if (t < 13) return point(t, { l1: 0, l2: 30, stale: 0 });
    return point(t, after(t));
  });
}

describe('the bus-partition figure', () => {
  it('finds the cut of the catalog scenario: app-2 from 8 s to 13 s', () => {
    expect(busCutOf(getScenario('bus-partition'))).toEqual(cut);
    expect(busCutOf(getScenario('redis-slow'))).toBeUndefined();
  });

  it('counts the cut server apart from the others and sees it catch up at once (outbox)', () => {
    const kept = samples((t) => (t < 15 ? 100 : 97), 10);
    const f = busPartitionFigure(
      { points: run(() => ({ l1: 20, l2: 10, stale: 0 })), samples: kept },
      cut,
      5,
    );
    expect(f.l1Entries).toEqual({ beforeCut: 100, atReturn: 100, end: 97 });
    expect(f.received.cutServer).toEqual({ before: 10, during: 0, after: 10 });
    expect(f.received.otherServers.during).toBe(10);
    expect(f.cutServer.before).toEqual({ reads: 90, staleReads: 0, l1Share: 20 / 30 });
    expect(f.cutServer.during).toEqual({ reads: 150, staleReads: 6, l1Share: 30 / 150 });
    expect(f.otherServers.during.staleReads).toBe(0);
    expect(f.cutServer.after.staleReads).toBe(0);
    expect([f.l1OffAfterSec, f.l1BackAfterSec, f.caughtUp]).toEqual([2, 0, true]);
    const table = busPartitionTable(f);
    expect(table?.rows.map((row) => row.slice(0, 4))).toEqual([
      ['app-2', 'before', '90', '0'],
      ['app-2', 'during', '150', '6'],
      ['app-2', 'after', '120', '0'],
      ['the others', 'before', '180', '0'],
      ['the others', 'during', '300', '0'],
      ['the others', 'after', '240', '0'],
    ]);
    expect(table?.rows[1]?.slice(4)).toEqual(['20%', '0.0/s']);
    expect(busPartitionTable(null)).toBeUndefined();
  });

  it('sees a cleared L1 re-warm (delete), and a server that stays stale or deaf', () => {
    const cleared = samples((t) => (t < 10 ? 100 : t < 14 ? 0 : (t - 13) * 20), 10);
    const rewarm = busPartitionFigure(
      {
        points: run((t) => ({ l1: (t - 13) * 6, l2: 30 - (t - 13) * 6, stale: 0 })),
        samples: cleared,
      },
      cut,
      5,
    );
    expect(rewarm.l1BackAfterSec).toBe(2);
    expect(rewarm.l1Entries).toEqual({ beforeCut: 100, atReturn: 0, end: 60 });
    expect(rewarm.caughtUp).toBe(true);
    const good = samples(() => 100, 10);
    const stale = { points: run(() => ({ l1: 20, l2: 10, stale: 4 })), samples: good };
    const stuck = busPartitionFigure(stale, cut, 5);
    expect(stuck.cutServer.after.staleReads).toBe(16);
    expect(stuck.caughtUp).toBe(false);
    const fresh = run(() => ({ l1: 20, l2: 10, stale: 0 }));
    const deaf = busPartitionFigure({ points: fresh, samples: samples(() => 100, 0) }, cut, 5);
    expect([deaf.received.cutServer.after, deaf.caughtUp]).toEqual([0, false]);
    const neverOff = busPartitionFigure(
      {
        points: fresh.map((p, t) =>
          t >= 10 && t < 13 ? point(t, { l1: 5, l2: 25, stale: 0 }) : p,
        ),
        samples: [],
      },
      cut,
      5,
    );
    expect(neverOff.l1OffAfterSec).toBeNull();
    expect(neverOff.l1Entries).toEqual({ beforeCut: null, atReturn: null, end: null });
    expect(neverOff.received.cutServer.after).toBeNull();
  });

  it('breaks the hypothesis on stale reads only when the scenario sets a bound', () => {
    const second = {
      t: 9,
      offered: 100,
      sent: 100,
      ok: 100,
      errors: { timeout: 0, connection: 0, http4xx: 0, http5xx: 0, other: 0 },
      p50Ms: 1,
      p99Ms: 2,
      hitRatio: 0.9,
      reads: { l1: 50, l2: 40, miss: 10, bypass: 0 },
      dbQps: 10,
      redisOps: {},
      staleReads: 3,
      holds: true,
    } satisfies ScenarioSecond;
    const baseline = { errorRate: 0, p99Ms: 2, hitRatio: 0.9, dbQps: 10 };
    expect(breachesOf(second, 2, baseline, DEFAULT_TOLERANCES)).toEqual([]);
    const bounded = { ...DEFAULT_TOLERANCES, maxStaleReadRate: 0.02 };
    expect(breachesOf(second, 2, baseline, bounded)).toEqual(['stale reads']);
    expect(breachesOf({ ...second, staleReads: 2 }, 2, baseline, bounded)).toEqual([]);
  });
});
