import { describe, expect, it } from 'vitest';
import { measuredFixture as m } from './test-fixtures.ts';
import {
  dbQueriesVerdict,
  hitRatioVerdict,
  latencyVerdict,
  redisVerdict,
  staleVerdict,
  throughputVerdict,
} from './verdicts.ts';

const noCache = m('no-cache', {
  cacheMode: 'none',
  dbQueriesPerRequest: 0.95,
  hitRatio: { overall: null, l1: null, l2: null },
  latencyMs: { count: 10, mean: 9, p50: 9, p90: 20, p95: 25, p99: 45, p999: 60, max: 70 },
});
const local = m('local', {
  dbQueriesPerRequest: 0.4,
  hitRatio: { overall: 0.58, l1: 0.58, l2: null },
  staleReads: 17,
  staleReadRate: 0.0149,
  maxStaleWindowMs: 812,
});
const hash = m('local-hash', {
  dbQueriesPerRequest: 0.17,
  hitRatio: { overall: 0.82, l1: 0.82, l2: null },
  latencyMs: { count: 10, mean: 1, p50: 0.8, p90: 2, p95: 2.5, p99: 4, p999: 6, max: 9 },
});

describe('verdicts are computed from the data', () => {
  it('compares DB queries with the no-cache baseline', () => {
    expect(dbQueriesVerdict([noCache, local, hash])).toBe(
      'no-cache makes 0.95 DB queries per request. local-hash makes 0.17, 5.6× fewer. ' +
        'The most among the others: local with 0.40 (2.4× fewer).',
    );
  });

  it('falls back to the most expensive topology without a baseline', () => {
    expect(dbQueriesVerdict([local, hash])).toBe(
      'local makes 0.40 DB queries per request. local-hash makes 0.17, 2.4× fewer.',
    );
  });

  it('names the lowest and highest p99 and marks invalid runs', () => {
    const invalid = { ...noCache, valid: false, invalidReasons: ['lag'] };
    const text = latencyVerdict([invalid, hash]);
    expect(text).toContain(
      'Lowest p99: local-hash at 4.00 ms; highest: no-cache at 45.0 ms, 11.3× the lowest.',
    );
    expect(text).toContain('† no-cache: the load generator could not keep up');
  });

  it('compares local-hash with local at the same server count', () => {
    expect(hitRatioVerdict([noCache, local, hash])).toBe(
      'Highest hit ratio: local-hash (82.0%); lowest: local (58.0%). With 3 servers each, ' +
        "local-hash's L1 hit ratio is 82.0% vs local's 58.0% (24.0 points more).",
    );
  });

  it('says when nothing was cached', () => {
    expect(hitRatioVerdict([noCache])).toBe('No topology with a cache was measured.');
  });

  it('reports the worst stale-read rate and the clean topologies', () => {
    expect(staleVerdict([noCache, local])).toBe(
      'Highest stale-read rate: local, 1.49% of reads (17 reads; longest stale window 812 ms). No stale read: no-cache.',
    );
    expect(staleVerdict([noCache])).toBe('No topology served a stale read (1 measured).');
  });

  it('flags topologies that fell short of the offered rate or failed requests', () => {
    const slow = m('slow', { throughputRps: 100, errorRate: 0.02 });
    expect(throughputVerdict([local, slow])).toBe(
      'Below 95% of the offered rate: slow (100.0 req/s, 66.7%). Failed requests: slow 2.00%.',
    );
    expect(throughputVerdict([local])).toBe(
      'All 1 topologies answered at least 95% of the offered 150.0 req/s. No request failed.',
    );
  });

  it('sums Redis operations per request and the busiest node share', () => {
    const node = (n: number, ops: number) => ({
      node: `redis-${n}`,
      role: 'master' as const,
      ops,
      opsPerSec: ops / 8,
      keyspaceHits: 0,
      keyspaceMisses: 0,
      keys: 0,
      commands: {},
    });
    const sharded = m('global-sharded', {
      redisOpsPerNode: [node(1, 600), node(2, 300), node(3, 300)],
    });
    expect(redisVerdict([local, sharded])).toBe(
      'Redis operations per request: global-sharded 1.00 ops/request, busiest of 3 nodes 50.0%.',
    );
    expect(redisVerdict([local])).toBe('No measured topology uses Redis.');
    const replica = { ...node(2, 200), role: 'replica' as const };
    const cluster = m('global-cluster', { redisOpsPerNode: [node(1, 1000), replica] });
    expect(redisVerdict([cluster])).toBe(
      'Redis operations per request: global-cluster 1.00 ops/request, busiest of 2 nodes 83.3%, 1 replicas 16.7% (replication).',
    );
  });
});
