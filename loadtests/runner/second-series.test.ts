import { describe, expect, it } from 'vitest';
import { WORKLOADS } from '../workload.ts';
import { createPhasedStream } from './phased-stream.ts';
import { mergeSeriesParts, SecondSeries } from './second-series.ts';

describe('SecondSeries', () => {
  it('counts each request in the second it was due, and merges shares exactly', () => {
    const a = new SecondSeries();
    a.start(0.2, true);
    a.response(0.2, { status: 200, read: true, cache: 'HIT-L1', us: 1_000 });
    a.start(1.5, true);
    a.failure(1.5, 'connection', 0);
    const b = new SecondSeries();
    b.start(1.9, false);
    b.start(1.1, true);
    b.response(1.1, { status: 503, read: true, cache: 'NONE', us: 40_000 });
    b.stale(1.1, 250);
    const points = mergeSeriesParts([a.toPart(), b.toPart()]);
    expect(points.map((p) => p.t)).toEqual([0, 1]);
    expect(points[0]).toMatchObject({ scheduled: 1, sent: 1, ok: 1, cache: { 'HIT-L1': 1 } });
    expect(points[0]?.p99Ms).toBeCloseTo(1, 1);
    expect(points[1]).toMatchObject({ scheduled: 3, sent: 2, dropped: 1, ok: 0, staleReads: 1 });
    expect(points[1]?.errors).toMatchObject({ connection: 1, http5xx: 1 });
    expect(points[1]?.maxStaleWindowMs).toBe(250);
    expect(points[1]?.p99Ms).toBeCloseTo(40, 0);
  });

  it('splits reads and stale reads by the server that answered them', () => {
    const a = new SecondSeries();
    a.response(0.1, { status: 200, read: true, cache: 'HIT-L1', us: 1, servedBy: 'app-1' });
    a.response(0.2, { status: 200, read: true, cache: 'HIT-L2', us: 1, servedBy: 'app-2' });
    a.response(0.3, { status: 200, read: false, cache: 'NONE', us: 1, servedBy: 'app-2' });
    a.stale(0.2, 30, 'app-2');
    const b = new SecondSeries();
    b.response(0.4, { status: 200, read: true, cache: 'HIT-L1', us: 1, servedBy: 'app-2' });
    b.stale(0.4, 10, 'app-2');
    const [point] = mergeSeriesParts([a.toPart(), b.toPart()]);
    expect(point?.servers).toEqual({
      'app-1': { cache: { 'HIT-L1': 1 }, staleReads: 0 },
      'app-2': { cache: { 'HIT-L2': 1, 'HIT-L1': 1 }, staleReads: 2 },
    });
    expect(point?.staleReads).toBe(2);
  });

  it('fills seconds without any request with zeros', () => {
    const s = new SecondSeries();
    s.start(2.5, true);
    const points = mergeSeriesParts([s.toPart()]);
    expect(points).toHaveLength(3);
    expect(points[0]).toMatchObject({ t: 0, scheduled: 0, p99Ms: 0 });
  });
});

describe('createPhasedStream', () => {
  const base = { keyCount: 1_000, seed: 7, rate: 10, workload: WORKLOADS['read-heavy'] };

  it('switches to a phase at its scheduled index and stays deterministic', () => {
    const hot = { atSec: 2, workload: WORKLOADS['hot-key'] };
    const draw = () => {
      const next = createPhasedStream({ ...base, phases: [hot] });
      return Array.from({ length: 2_000 }, (_, i) => next(i));
    };
    const ops = draw();
    expect(draw()).toEqual(ops);
    const before = ops.slice(0, 20).filter((o) => o.id === 1).length;
    const after = ops.slice(20).filter((o) => o.id === 1).length / (ops.length - 20);
    expect(before).toBeLessThan(5);
    expect(after).toBeGreaterThan(0.25);
  });

  it('without phases draws exactly the plain workload stream', () => {
    const plain = createPhasedStream({ ...base, phases: [] });
    const again = createPhasedStream({
      ...base,
      phases: [{ atSec: 1_000, workload: WORKLOADS.uniform }],
    });
    for (let i = 0; i < 100; i++) expect(again(i)).toEqual(plain(i));
  });
});
