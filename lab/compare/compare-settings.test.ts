import { describe, expect, it } from 'vitest';
import { topologyNames } from '../topology/catalog.ts';
import { CompareError } from './compare-error.ts';
import { FULL_PRESET, QUICK_PRESET, resolveCompareSettings } from './compare-settings.ts';

describe('resolveCompareSettings', () => {
  it('defaults to the whole catalog, read-heavy, full length', () => {
    const s = resolveCompareSettings({});
    expect(s.topologies).toEqual(topologyNames());
    expect(s).toMatchObject({
      workload: 'read-heavy',
      quick: false,
      ...FULL_PRESET,
      resultsDir: 'results',
      driver: 'native',
    });
  });

  it('applies the quick preset under explicit flags, keys = seeded users', () => {
    const s = resolveCompareSettings({
      quick: true,
      rate: 90,
      seedUsers: 1000,
      topologies: ['local'],
      driver: 'compose',
    });
    expect(s).toMatchObject({
      driver: 'compose',
      ...QUICK_PRESET,
      rate: 90,
      seedUsers: 1000,
      keyCount: 1000,
      topologies: ['local'],
    });
  });

  it('rejects unknown or repeated topologies and unknown workloads', () => {
    expect(() => resolveCompareSettings({ topologies: ['nope'] })).toThrow(
      /unknown topology 'nope'/,
    );
    expect(() => resolveCompareSettings({ topologies: ['local', 'local'] })).toThrow(CompareError);
    expect(() => resolveCompareSettings({ workload: 'heavy' })).toThrow(/unknown workload/);
  });

  it('runs each topology once by default, accepts --repeat up to 20, and bounds the warm-up', () => {
    expect(resolveCompareSettings({}).repeat).toBe(1);
    expect(resolveCompareSettings({ repeat: 5 }).repeat).toBe(5);
    expect(() => resolveCompareSettings({ repeat: 0 })).toThrow(/--repeat/);
    expect(() => resolveCompareSettings({ repeat: 21 })).toThrow(/--repeat/);
    expect(resolveCompareSettings({ quick: true }).warmupPolicy).toEqual({
      rps: 600,
      maxSec: 12,
      maxExtraWindows: 1,
      stableWithin: 0.02,
    });
  });
});
