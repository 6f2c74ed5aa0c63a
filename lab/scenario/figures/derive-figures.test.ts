import { describe, expect, it } from 'vitest';
import type { ScenarioSecond } from '../../report/scenario-results-schema.ts';
import { baselineOf, breachesOf, DEFAULT_TOLERANCES, smoothedP99 } from '../hypothesis.ts';
import { deriveFigures, type FigureInputs } from './derive-figures.ts';
import { phaseVerdicts, verdictSentence } from './scenario-verdict.ts';

function second(t: number, over: Partial<ScenarioSecond> = {}): ScenarioSecond {
  return {
    t,
    offered: 100,
    sent: 100,
    ok: 100,
    errors: { timeout: 0, connection: 0, http4xx: 0, http5xx: 0, other: 0 },
    p50Ms: 2,
    p99Ms: 8,
    hitRatio: 0.8,
    reads: { l1: 0, l2: 76, miss: 19, bypass: 0 },
    dbQps: 20,
    redisOps: { 'redis-1': 200 },
    staleReads: 0,
    holds: true,
    ...over,
  };
}

/** 20 s: baseline 0-9, an outage of 5xx at 10-12, DB peak at 11, back to normal from 13. */
function outage(): ScenarioSecond[] {
  const fail = { timeout: 0, connection: 0, http4xx: 0, http5xx: 30, other: 0 };
  const series = Array.from({ length: 20 }, (_, t) =>
    t >= 10 && t <= 12 ? second(t, { ok: 70, errors: fail, hitRatio: 0, dbQps: 95 }) : second(t),
  );
  const baseline = baselineOf(series, 2, 10);
  const p99 = smoothedP99(series);
  for (const [i, s] of series.entries()) {
    s.holds = breachesOf(s, p99[i] ?? s.p99Ms, baseline, DEFAULT_TOLERANCES).length === 0;
  }
  return series;
}

describe('the steady-state hypothesis', () => {
  it('takes its baseline from the seconds before the action', () => {
    const b = baselineOf(outage(), 2, 10);
    expect(b).toMatchObject({ errorRate: 0, p99Ms: 8, dbQps: 20 });
    expect(b.hitRatio).toBeCloseTo(0.8, 9);
  });

  it('breaks on errors above 0.1 %, p99 above 2× (floor 10 ms), hit ratio below 0.9×', () => {
    const b = { errorRate: 0, p99Ms: 8, hitRatio: 0.8, dbQps: 20 };
    const t = DEFAULT_TOLERANCES;
    expect(breachesOf(second(0), 8, b, t)).toEqual([]);
    const oneFailure = { timeout: 1, connection: 0, http4xx: 0, http5xx: 0, other: 0 };
    expect(breachesOf(second(0, { ok: 999, errors: oneFailure }), 8, b, t)).toEqual([]);
    expect(breachesOf(second(0, { ok: 99, errors: oneFailure }), 8, b, t)).toEqual(['errors']);
    expect(breachesOf(second(0), 17, b, t)).toEqual(['p99']);
    expect(breachesOf(second(0, { hitRatio: 0.7 }), 8, b, t)).toEqual(['hit ratio']);
  });

  it('does not let one slow second break it alone (median of neighbours)', () => {
    const series = [second(0), second(1, { p99Ms: 90 }), second(2)];
    expect(smoothedP99(series)).toEqual([8, 8, 8]);
  });
});

/** The figure inputs of an outage() series: baseline 2–10 s, one action at 10 s, no warm-up. */
function outageInputs(series: ScenarioSecond[]): FigureInputs {
  return {
    series,
    baseline: baselineOf(series, 2, 10),
    firstActionSec: 10,
    lastActionSec: 10,
    maxStaleWindowMs: 0,
    keyMovement: null,
    failoverNodeTimeoutMs: undefined,
    coldStart: false,
    warmupSec: 0,
    busPartition: null,
  };
}

describe('deriveFigures', () => {
  it('computes availability, detection, recovery and the DB peak from the seconds', () => {
    const series = outage();
    const f = deriveFigures({ ...outageInputs(series), failoverNodeTimeoutMs: 2_000 });
    expect(f.requests).toBe(2_000);
    expect(f.requestsFailed).toBe(90);
    expect(f.availability).toBeCloseTo(1 - 90 / 2_000, 6);
    expect(f.timeToDetectSec).toBe(0);
    expect(f.timeToRecoverSec).toBe(3);
    expect(f.peakDbQps).toBe(95);
    expect(f.peakDbFactor).toBeCloseTo(4.75, 6);
    expect(f.hitRatioDip).toBeCloseTo(0.8, 6);
    expect(f.dipSeconds).toBe(3);
    expect(f.failover).toEqual({ unavailableSec: 3, predictedSec: 2.75 });
    const verdicts = phaseVerdicts(series, 2, 10);
    expect(verdicts.before.holds).toBe(true);
    expect(verdicts.during).toMatchObject({ holds: false, broken: 3 });
    expect(verdicts.after.holds).toBe(true);
    const sentence = verdictSentence(f, baselineOf(series, 2, 10), verdicts);
    expect(sentence).toContain('availability 95.50 % (90 failed)');
    expect(sentence).toContain('back inside it 3 s after the action');
  });

  it('counts failures of the warm-up apart from availability, and says so', () => {
    const series = outage();
    const cold = { timeout: 5, connection: 0, http4xx: 0, http5xx: 20, other: 0 };
    series[0] = second(0, { ok: 75, errors: cold });
    const inputs = outageInputs(series);
    const f = deriveFigures({ ...inputs, warmupSec: 2 });
    expect(f.requests).toBe(1_800);
    expect(f.requestsFailed).toBe(90);
    expect(f.warmupRequestsFailed).toBe(25);
    const sentence = verdictSentence(f, inputs.baseline, phaseVerdicts(series, 2, 10));
    expect(sentence).toContain('(90 failed; 25 more in the warm-up)');
    // Without a warm-up (a cold start) every second counts.
    const all = deriveFigures({ ...inputs, warmupSec: 0 });
    expect([all.requestsFailed, all.warmupRequestsFailed]).toEqual([115, 0]);
  });

  it('finds when a cold start reaches 90 % of its steady hit ratio', () => {
    const series = Array.from({ length: 12 }, (_, t) =>
      second(t, { hitRatio: Math.min(0.8, t * 0.1) }),
    );
    const f = deriveFigures({
      series,
      baseline: baselineOf(series, 7, 12),
      firstActionSec: undefined,
      lastActionSec: undefined,
      maxStaleWindowMs: 0,
      keyMovement: null,
      failoverNodeTimeoutMs: undefined,
      coldStart: true,
      warmupSec: 0,
      busPartition: null,
    });
    expect(f.timeTo90PctSec).toBe(9);
    expect(f.timeToDetectSec).toBeNull();
  });
});
