import { describe, expect, it } from 'vitest';
import { topologyNames } from '../topology/catalog.ts';
import { compareFlagsOf, positiveFlag } from './compare-command.ts';
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
    });
  });

  it('applies the quick preset under explicit flags, keys = seeded users', () => {
    const s = resolveCompareSettings({
      quick: true,
      rate: 90,
      seedUsers: 1000,
      topologies: ['local'],
    });
    expect(s).toMatchObject({
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
});

describe('compare flags', () => {
  it('parses lists and numbers, leaving the rest to defaults', () => {
    const flags = compareFlagsOf({
      topologies: 'local, global,',
      rate: '120',
      warmup: '0',
      quick: true,
    });
    expect(flags).toEqual({
      topologies: ['local', 'global'],
      rate: 120,
      warmupSec: 0,
      quick: true,
    });
  });

  it('refuses numbers that are not positive', () => {
    expect(positiveFlag('rate', '2.5')).toBe(2.5);
    expect(() => positiveFlag('rate', '-1')).toThrow(/--rate expects a positive number/);
    expect(() => positiveFlag('seed-users', '1.5', true)).toThrow(/positive integer/);
    expect(() => positiveFlag('rate', '')).toThrow(CompareError);
  });
});
