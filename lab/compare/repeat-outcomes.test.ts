import { describe, expect, it } from 'vitest';
import type { FailedTopology } from '../report/results-types.ts';
import { measuredFixture } from '../report/test-fixtures.ts';
import { mergeRepeats } from './repeat-outcomes.ts';

const latency = (p50: number) => ({
  count: 1000,
  mean: p50,
  p50,
  p90: p50 * 2,
  p95: p50 * 2,
  p99: p50 * 4,
  p999: p50 * 6,
  max: p50 * 8,
});

const failed: FailedTopology = {
  topology: 'local',
  question: 'q',
  appServerCount: 3,
  cacheMode: 'local',
  redisLayout: '-',
  loadBalancing: 'round-robin',
  status: 'failed',
  phase: 'up',
  error: 'port taken',
  timings: { upSec: 1, loadSec: 0, downSec: 0, totalSec: 1 },
};

describe('mergeRepeats', () => {
  it('keeps the median-p50 run as the record and adds medians with intervals', () => {
    const runs = [3, 1, 2].map((p50) =>
      measuredFixture('local', { latencyMs: latency(p50), achievedRps: 148 + p50 }),
    );
    const merged = mergeRepeats(runs);
    if (merged.status !== 'ok') throw new Error('expected a measured outcome');
    expect(merged.latencyMs.p50).toBe(2);
    expect(merged.repeat).toMatchObject({ runs: 3, measured: 3, confidence: 0.95 });
    expect(merged.repeat?.figures['latency.p50']).toMatchObject({ median: 2, low: 1, high: 3 });
    expect(merged.repeat?.figures['latency.p99']).toMatchObject({ median: 8, low: 4, high: 12 });
    expect(merged.repeat?.figures.achievedRps?.median).toBe(150);
    expect(merged.repeat?.figures['hitRatio.l2']).toBeUndefined();
  });

  it('leaves out a failed repeat with a warning, and is invalid when any run was', () => {
    const bad = measuredFixture('local', { valid: false, invalidReasons: ['lag p99 40 ms'] });
    const merged = mergeRepeats([measuredFixture('local'), failed, bad]);
    if (merged.status !== 'ok') throw new Error('expected a measured outcome');
    expect(merged.repeat).toMatchObject({ runs: 3, measured: 2 });
    expect(merged.valid).toBe(false);
    expect(merged.invalidReasons).toEqual(['lag p99 40 ms']);
    expect(merged.warnings).toEqual(['a repeat failed (up): port taken']);
  });

  it('returns the failure when none was measured, a single run as it is, and no spread from one', () => {
    expect(mergeRepeats([failed, failed])).toBe(failed);
    const single = measuredFixture('local');
    expect(mergeRepeats([single])).toBe(single);
    const one = mergeRepeats([single, failed]);
    expect(one.status === 'ok' && one.repeat).toBeUndefined();
    expect(one.status === 'ok' && one.warnings).toEqual(['a repeat failed (up): port taken']);
  });
});
