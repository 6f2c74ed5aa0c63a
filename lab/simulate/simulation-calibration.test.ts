import { describe, expect, it } from 'vitest';
import { figuresOf, type ScaleRow } from './scale-simulation.ts';
import {
  compareWithMeasured,
  DEFAULT_CALIBRATION_TOLERANCE,
  DEFAULT_STALE_TOLERANCE,
} from './simulation-calibration.ts';

const counters = (l1Hits: number, l2Hits: number, staleReads = 0) => ({
  reads: 1000,
  writes: 50,
  l1Hits,
  l2Hits,
  dbReads: 1000 - l1Hits - l2Hits,
  staleReads,
});

// Simulated at N=3: rr 0.64 (0.67 with local-only invalidation, 0.15 of reads stale), ch 0.76,
// global 0.80, two-tier l1 0.64 + l2 0.45 of the rest.
const row: ScaleRow = {
  servers: 3,
  topologies: {
    'local-round-robin': figuresOf('local-round-robin', counters(640, 0)),
    'local-round-robin-local-invalidation': figuresOf(
      'local-round-robin-local-invalidation',
      counters(670, 0, 150),
    ),
    'local-consistent-hash': figuresOf('local-consistent-hash', counters(760, 0)),
    global: figuresOf('global', counters(0, 800)),
    'two-tier': figuresOf('two-tier', counters(640, 162)),
  },
};

describe('compareWithMeasured', () => {
  it('states its tolerances: ±0.08 on hit ratios and ±0.03 on stale reads, absolute', () => {
    const result = compareWithMeasured(row, []);
    expect(result).toMatchObject({
      servers: 3,
      tolerance: 0.08,
      staleTolerance: 0.03,
      toleranceKind: 'absolute',
    });
    expect(DEFAULT_CALIBRATION_TOLERANCE).toBe(0.08);
    expect(DEFAULT_STALE_TOLERANCE).toBe(0.03);
  });

  it('compares stale-read rates and fails an entry whose rate is off, even with hit ratios in', () => {
    const { entries } = compareWithMeasured(row, [
      { topology: 'local', hitRatio: { overall: 0.67, l1: 0.67, l2: null }, staleReadRate: 0.14 },
      { topology: 'local', hitRatio: { overall: 0.67, l1: 0.67, l2: null }, staleReadRate: 0 },
      { topology: 'global', hitRatio: { overall: 0.8, l1: null, l2: 0.8 }, staleReadRate: 0.05 },
      { topology: 'two-tier', hitRatio: { overall: 0.8, l1: 0.64, l2: 0.45 } },
    ]);
    expect(entries[0]?.simulatedAs).toBe('local-round-robin-local-invalidation');
    expect(entries[0]?.staleReads).toEqual({
      simulated: 0.15,
      measured: 0.14,
      delta: -0.01,
      withinTolerance: true,
    });
    expect(entries[0]?.withinTolerance).toBe(true);
    expect(entries[1]?.staleReads?.withinTolerance).toBe(false);
    expect(entries[1]?.withinTolerance).toBe(false);
    expect(entries[2]?.staleReads?.simulated).toBe(0);
    expect(entries[2]?.withinTolerance).toBe(false);
    expect(entries[3]?.staleReads).toBeNull();
    expect(entries[3]?.withinTolerance).toBe(true);
  });

  it('compares every tier both sides have and flags deltas beyond the tolerance', () => {
    const { entries } = compareWithMeasured(row, [
      { topology: 'local-round-robin', hitRatio: { overall: 0.6, l1: 0.6, l2: null } },
      { topology: 'global', hitRatio: { overall: 0.7, l1: null, l2: 0.7 } },
      { topology: 'two-tier', hitRatio: { overall: 0.82, l1: 0.62, l2: 0.5 } },
    ]);
    expect(entries[0]?.delta).toEqual({ overall: -0.04, l1: -0.04, l2: null });
    expect(entries[0]?.withinTolerance).toBe(true);
    expect(entries[1]?.delta?.overall).toBeCloseTo(-0.1, 6);
    expect(entries[1]?.withinTolerance).toBe(false);
    expect(entries[2]?.simulated?.l2).toBeCloseTo(0.45, 6);
    expect(entries[2]?.withinTolerance).toBe(true);
  });

  it('maps CACHE_MODE names and explicit simulatedAs; an unknown topology is not within tolerance', () => {
    const { entries } = compareWithMeasured(
      row,
      [
        { topology: 'local', hitRatio: { overall: 0.66, l1: 0.66, l2: null } },
        {
          topology: 'lb-hash',
          simulatedAs: 'local-consistent-hash',
          hitRatio: { overall: 0.75, l1: null, l2: null },
        },
        { topology: 'local-disk', hitRatio: { overall: 0.9, l1: 0.9, l2: null } },
      ],
      0.02,
    );
    expect(entries.map((e) => e.simulatedAs)).toEqual([
      'local-round-robin-local-invalidation',
      'local-consistent-hash',
      null,
    ]);
    expect(entries.map((e) => e.withinTolerance)).toEqual([true, true, false]);
  });

  it('rejects a tolerance outside [0, 1]', () => {
    expect(() => compareWithMeasured(row, [], -0.1)).toThrow(RangeError);
    expect(() => compareWithMeasured(row, [], 0.08, undefined, 2)).toThrow(/staleTolerance/);
  });
});
