import { describe, expect, it } from 'vitest';
import {
  calibrationVerdict,
  ladderVerdict,
  resizeVerdict,
  scaleVerdict,
} from './bench-verdicts.ts';
import { calibrationTable } from './report-tables.ts';
import type { CalibrationFigures, SimulationFigures } from './results-types.ts';

const ratio = (overall: number) => ({
  hitRatio: { l1: overall, l2: null, overall },
  dbReadsPerRequest: 1 - overall,
});
const sim: SimulationFigures = {
  source: 'test',
  settings: {
    workload: 'read-heavy',
    keyCount: 100,
    warmupRequests: 10,
    measuredRequests: 10,
    cacheEntries: 10,
    globalEntries: 30,
    seed: 1,
  },
  scale: [
    {
      servers: 1,
      topologies: {
        'local-round-robin': ratio(0.8),
        'local-consistent-hash': ratio(0.8),
        global: ratio(0.9),
        'two-tier': ratio(0.9),
      },
    },
    {
      servers: 8,
      topologies: {
        'local-round-robin': ratio(0.5),
        'local-consistent-hash': ratio(0.85),
        global: ratio(0.9),
        'two-tier': ratio(0.9),
      },
    },
  ],
  resize: [
    {
      scheme: 'modulo',
      from: 3,
      to: 2,
      movedKeyShare: 0.66,
      expectedMovedShare: 0.66,
      hitRatioBefore: 0.8,
      dip: 0.2,
    },
    {
      scheme: 'modulo',
      from: 3,
      to: 4,
      movedKeyShare: 0.75,
      expectedMovedShare: 0.75,
      hitRatioBefore: 0.8,
      dip: 0.25,
    },
    {
      scheme: 'ketama',
      from: 3,
      to: 4,
      movedKeyShare: 0.25,
      expectedMovedShare: 0.25,
      hitRatioBefore: 0.8,
      dip: 0.08,
    },
  ],
};

describe('extra verdicts', () => {
  it('follows each layout from the fewest to the most servers', () => {
    expect(scaleVerdict(sim)).toBe(
      'From 1 to 8 servers: local-round-robin falls to 50.0% (from 80.0%), local-consistent-hash rises to 85.0% (from 80.0%), global stays at 90.0% (from 90.0%) and two-tier stays at 90.0% (from 90.0%).',
    );
  });

  it('compares schemes on the first growth step', () => {
    expect(resizeVerdict(sim, 'moved')).toBe(
      'Going from 3 to 4 cache nodes moves this share of the keys to another node: 75.0% with modulo and 25.0% with ketama.',
    );
    expect(resizeVerdict(sim, 'dip')).toBe(
      'Going from 3 to 4 cache nodes, the hit ratio just after the change dips by 25.0 points with modulo and 8.0 points with ketama.',
    );
  });

  it('finds the fastest and slowest rung and the biggest step', () => {
    const rows = [
      { name: 'redis get', p50Ms: 0.2, p99Ms: 0.5 },
      { name: 'L1 get', p50Ms: 0.002, p99Ms: 0.01, quotedMs: 0.0001 },
      { name: 'aggregate', p50Ms: 4, p99Ms: 9 },
    ];
    expect(ladderVerdict(rows)).toBe(
      'Fastest rung: L1 get, p50 2 µs; slowest: aggregate, p50 4.00 ms (2000×). The biggest step: L1 get → redis get (100×).',
    );
  });

  it('counts topologies within the calibration tolerance', () => {
    const entry = (topology: string, withinTolerance: boolean) => ({
      topology,
      simulatedAs: 'global' as const,
      simulated: { l1: null, l2: 0.5, overall: 0.5 },
      measured: { overall: 0.5, l1: null, l2: 0.5 },
      delta: { overall: 0, l1: null, l2: 0 },
      withinTolerance,
    });
    const c: CalibrationFigures = {
      servers: 3,
      tolerance: 0.08,
      toleranceKind: 'absolute',
      settings: sim.settings,
      entries: [entry('global', true), entry('global-cluster', false)],
    };
    expect(calibrationVerdict(c)).toBe(
      '1 of 2 measured topologies match the simulation at N=3 within ±8 points on every tier. Outside the tolerance: global-cluster.',
    );
  });

  it('states the stale-read tolerance and shows simulated vs measured stale reads', () => {
    const c: CalibrationFigures = {
      servers: 3,
      tolerance: 0.08,
      staleTolerance: 0.03,
      toleranceKind: 'absolute',
      settings: sim.settings,
      entries: [
        {
          topology: 'local',
          simulatedAs: 'local-round-robin-local-invalidation',
          simulated: { l1: 0.6, l2: null, overall: 0.6 },
          measured: { overall: 0.58, l1: 0.58, l2: null },
          delta: { overall: -0.02, l1: -0.02, l2: null },
          staleReads: { simulated: 0.14, measured: 0.2, delta: 0.06, withinTolerance: false },
          withinTolerance: false,
        },
      ],
    };
    expect(calibrationVerdict(c)).toBe(
      '0 of 1 measured topologies match the simulation at N=3 within ±8 points on every tier and stale reads within ±3 points. Outside the tolerance: local.',
    );
    const table = calibrationTable(c);
    expect(table.header).toContain('stale sim / measured (±3 pts)');
    expect(table.rows[0]?.[6]).toBe('14.0% / 20.0%');
  });
});
