import { describe, expect, it } from 'vitest';
import {
  delayQuantileUpperBound,
  invalidatorCountersOf,
  subtractInvalidatorCounters,
} from './invalidator-counters.ts';
import { parsePrometheusText } from './prometheus-text.ts';

const text = (applied: number, fast: number, slow: number, pending: number) => `
# TYPE cachelab_invalidator_applied_total counter
cachelab_invalidator_applied_total{topology="global",server="invalidator"} ${applied}
cachelab_invalidator_failures_total{topology="global",server="invalidator",stage="redis"} 2
cachelab_invalidator_failures_total{topology="global",server="invalidator",stage="database"} 1
cachelab_invalidator_replayed_total{topology="global",server="invalidator"} 5
cachelab_invalidator_pending{topology="global",server="invalidator"} ${pending}
cachelab_invalidator_lag_seconds{topology="global",server="invalidator"} 0.25
cachelab_invalidator_apply_delay_seconds_bucket{le="0.01",topology="global",server="invalidator"} ${fast}
cachelab_invalidator_apply_delay_seconds_bucket{le="1",topology="global",server="invalidator"} ${fast + slow}
cachelab_invalidator_apply_delay_seconds_bucket{le="+Inf",topology="global",server="invalidator"} ${fast + slow}
`;

const counters = (applied: number, fast: number, slow: number, pending: number) =>
  invalidatorCountersOf('invalidator', parsePrometheusText(text(applied, fast, slow, pending)));

describe('invalidatorCountersOf', () => {
  it('reads applied, failures over every stage, replays, the gauges and the delay buckets', () => {
    expect(counters(100, 90, 10, 3)).toEqual({
      server: 'invalidator',
      applied: 100,
      failures: 3,
      replayed: 5,
      pending: 3,
      lagSeconds: 0.25,
      delayBuckets: { '0.01': 90, '1': 100, '+Inf': 100 },
    });
  });

  it('subtracts counters and buckets, keeps the gauges of the later scrape', () => {
    const delta = subtractInvalidatorCounters(counters(300, 200, 100, 0), counters(100, 90, 10, 3));
    expect(delta).toMatchObject({ applied: 200, failures: 0, pending: 0 });
    expect(delta.delayBuckets).toEqual({ '0.01': 110, '1': 200, '+Inf': 200 });
  });
});

describe('delayQuantileUpperBound', () => {
  it('is the bound of the bucket holding the quantile', () => {
    expect(delayQuantileUpperBound({ '0.01': 99, '1': 100, '+Inf': 100 }, 0.99)).toBe(0.01);
    expect(delayQuantileUpperBound({ '0.01': 98, '1': 100, '+Inf': 100 }, 0.99)).toBe(1);
  });

  it('is Infinity beyond the last bound and null with nothing applied', () => {
    expect(delayQuantileUpperBound({ '1': 0, '+Inf': 10 }, 0.99)).toBe(Number.POSITIVE_INFINITY);
    expect(delayQuantileUpperBound({ '1': 0, '+Inf': 0 }, 0.99)).toBeNull();
  });
});
