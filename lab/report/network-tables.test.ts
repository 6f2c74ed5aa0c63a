import { describe, expect, it } from 'vitest';
import { hopDelays } from '../topology/network.ts';
import { ladderVerdict, networkTables } from './network-tables.ts';
import { comparisonResultsSchema } from './results-schema.ts';
import { measuredFixture, resultsFixture } from './test-fixtures.ts';

const latency = (p50: number) => ({
  count: 100,
  mean: p50,
  p50,
  p90: p50,
  p95: p50,
  p99: p50,
  p999: p50,
  max: p50,
});

const twoTier = measuredFixture('two-tier', {
  latencyMsByCacheResult: { 'HIT-L1': latency(0.9), 'HIT-L2': latency(1.6), MISS: latency(3.2) },
});
const broken = measuredFixture('global', {
  latencyMsByCacheResult: { 'HIT-L2': latency(2), MISS: latency(1.5) },
});

const network = {
  profile: 'same-az' as const,
  hops: hopDelays({ profile: 'same-az' }),
  calibration: {
    profile: 'same-az',
    samplesPerHop: 300,
    hops: [
      {
        hop: 'app-redis' as const,
        probe: 'redis PING' as const,
        configuredRttMs: 0.5,
        addedP50Ms: 0.52,
        addedP99Ms: 0.9,
        directP50Ms: 0.03,
        toleranceMs: 0.05,
        withinTolerance: true,
      },
    ],
    proxyCpuUsPerMessage: 12.5,
    note: 'userspace proxy',
  },
};

describe('network report sections', () => {
  it('says by how much each rung of the ladder is slower, and calls out a broken one', () => {
    expect(ladderVerdict(twoTier)).toEqual({
      text: 'L1 hit 0.90 ms < L2 hit 1.60 ms (+0.70 ms) < miss 3.20 ms (+1.60 ms)',
      holds: true,
    });
    const verdict = ladderVerdict(broken);
    expect(verdict.holds).toBe(false);
    expect(verdict.text).toContain('≥ miss 1.50 ms (−0.50 ms)');
  });

  it('shows the calibration and the ladder per topology, from results that pass the schema', () => {
    const results = resultsFixture([twoTier, broken], { network });
    expect(comparisonResultsSchema.safeParse(results).success).toBe(true);
    const [calibration, ladder] = networkTables(results);
    expect(calibration?.title).toBe(
      'Network same-az: added round trip per hop, configured vs measured',
    );
    expect(calibration?.table.rows[0]).toEqual([
      'app-redis',
      'redis PING',
      '0.50 ms',
      '0.52 ms',
      '0.90 ms',
      '30 µs',
      'within ±50 µs',
    ]);
    expect(ladder?.text).toContain('holds in 1 of 2 topologies');
    expect(ladder?.table.rows.map((row) => row[0])).toEqual(['two-tier', 'global']);
  });

  it('adds nothing for older results without a network', () => {
    expect(networkTables(resultsFixture([twoTier]))).toEqual([]);
  });
});
