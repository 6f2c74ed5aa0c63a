import { describe, expect, it } from 'vitest';
import { type CapacityRepeat, mergeCapacityRepeats } from './capacity-repeats.ts';
import type { CapacityStep } from './capacity-step.ts';

function step(rate: number, ok: boolean, p99: number, cpuUs?: number): CapacityStep {
  return {
    rate,
    ok,
    offeredRps: rate,
    achievedRps: rate,
    throughputRps: rate,
    valid: true,
    invalidReasons: [],
    sloBreaches: ok ? [] : ['p99'],
    latencyMs: { count: rate, mean: 1, p50: p99 / 10, p90: 1, p95: 1, p99, p999: p99, max: p99 },
    errorRate: 0,
    concurrency: 1,
    hitRatio: 0.8,
    ...(cpuUs === undefined
      ? {}
      : {
          cost: {
            source: 'proc' as const,
            seconds: 3,
            requests: rate * 3,
            components: [],
            tiers: [],
            totalCpuUsPerRequest: cpuUs,
          },
        }),
  };
}

interface Search {
  status: 'ok';
  tag: string;
  maxSustainableRps: number | null;
  steps: CapacityStep[];
  warnings: string[];
  repeat?: CapacityRepeat;
}

const searched = (max: number | null, tag: string): Search => ({
  status: 'ok' as const,
  tag,
  maxSustainableRps: max,
  steps:
    max === null
      ? [step(200, false, 90)]
      : [step(max, true, max / 100, max / 10), step(max * 2, false, 90)],
  warnings: [] as string[],
});
const failed = { status: 'failed' as const, error: 'postgres would not start' };
const describeFailure = (f: typeof failed) => f.error;

describe('mergeCapacityRepeats', () => {
  it('keeps the median search as the record and gives every capacity figure a median and interval', () => {
    const merged = mergeCapacityRepeats<Search, typeof failed>(
      [
        searched(1800, 'a'),
        searched(1200, 'b'),
        searched(2400, 'c'),
        searched(1500, 'd'),
        searched(2000, 'e'),
      ],
      describeFailure,
    );
    if (merged.status !== 'ok') throw new Error('expected a searched record');
    expect(merged.tag).toBe('a');
    expect(merged.repeat?.runs).toBe(5);
    expect(merged.repeat?.maxSustainableRps).toEqual([1800, 1200, 2400, 1500, 2000]);
    expect(merged.repeat?.figures.maxSustainableRps).toMatchObject({
      median: 1800,
      low: 1200,
      high: 2400,
      n: 5,
    });
    expect(merged.repeat?.figures.maxSustainableRps?.coverage).toBeCloseTo(0.9375, 4);
    expect(merged.repeat?.figures.p99Ms?.median).toBe(18);
    expect(merged.repeat?.figures.cpuUsPerRequest?.median).toBe(180);
  });

  it('leaves a failed search out, noting it, and a search below the first step out of the interval', () => {
    const merged = mergeCapacityRepeats<Search, typeof failed>(
      [searched(1000, 'a'), failed, searched(null, 'b'), searched(3000, 'c')],
      describeFailure,
    );
    if (merged.status !== 'ok') throw new Error('expected a searched record');
    expect(merged.repeat).toMatchObject({ runs: 4, measured: 3 });
    expect(merged.repeat?.maxSustainableRps).toEqual([1000, null, 3000]);
    expect(merged.repeat?.figures.maxSustainableRps).toMatchObject({ median: 2000, n: 2 });
    expect(merged.warnings).toEqual(['a repeat failed: postgres would not start']);
    expect(merged.tag).toBe('a');
  });

  it('returns a single search as it is, and the first failure when every search failed', () => {
    const one = searched(900, 'a');
    expect(mergeCapacityRepeats<Search, typeof failed>([one], describeFailure)).toBe(one);
    expect(mergeCapacityRepeats<Search, typeof failed>([failed, failed], describeFailure)).toBe(
      failed,
    );
    expect(() => mergeCapacityRepeats<Search, typeof failed>([], describeFailure)).toThrow(
      RangeError,
    );
  });
});
