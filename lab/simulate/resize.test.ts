import { describe, expect, it } from 'vitest';
import { type ResizeFigures, type ResizeOptions, simulateResize } from './resize.ts';
import { formatResizeTable } from './simulate-tables.ts';

const small: ResizeOptions = {
  keyCount: 20_000,
  nodeEntries: 2_000,
  warmupRequests: 100_000,
  windowRequests: 5_000,
  recoveryWindows: 3,
  nodes: [3],
  seed: 7,
};

const result = simulateResize(small);
const find = (scheme: ResizeFigures['scheme'], to: number): ResizeFigures => {
  const change = result.changes.find((c) => c.scheme === scheme && c.to === to);
  if (!change) throw new Error(`no ${scheme} change to ${to}`);
  return change;
};

describe('simulateResize', () => {
  it('moves the textbook share of keys per scheme (3 → 4 and 3 → 2)', () => {
    expect(Math.abs(find('modulo', 4).movedKeyShare - 3 / 4)).toBeLessThan(0.02);
    expect(Math.abs(find('modulo', 2).movedKeyShare - 2 / 3)).toBeLessThan(0.02);
    expect(Math.abs(find('ketama', 4).movedKeyShare - 1 / 4) / (1 / 4)).toBeLessThan(0.25);
    expect(find('cluster-slots', 4).movedSlotShare).toBeCloseTo(1 / 4, 3);
    expect(find('cluster-slots', 2).movedSlotShare).toBeCloseTo(1 / 3, 3);
    expect(Math.abs(find('cluster-slots', 4).movedKeyShare - 1 / 4)).toBeLessThan(0.02);
  });

  it('orders the hit-ratio dip modulo > ketama > cluster slots, on add and on remove', () => {
    for (const to of [4, 2]) {
      expect(find('modulo', to).dip).toBeGreaterThan(find('ketama', to).dip);
      expect(find('ketama', to).dip).toBeGreaterThan(find('cluster-slots', to).dip);
    }
  });

  it('migrates cluster entries with their slots: adding a node costs at most a tiny dip', () => {
    const add = find('cluster-slots', 4);
    expect(add.migratedEntries).toBeGreaterThan(0);
    expect(add.dip).toBeLessThan(0.01);
    expect(find('modulo', 4).migratedEntries).toBe(0);
  });

  it('measures the same window before the change for add and remove', () => {
    expect(find('ketama', 4).hitRatioBefore).toBe(find('ketama', 2).hitRatioBefore);
    expect(find('ketama', 4).hitRatioAfter).toHaveLength(3);
  });

  it('is deterministic for a seed and JSON-serialisable', () => {
    expect(simulateResize(small)).toEqual(result);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('skips N → N−1 when N is 1, and formats one line per change', () => {
    const one = simulateResize({ ...small, nodes: [1] });
    expect(one.changes.map((c) => c.to)).toEqual([2, 2, 2]);
    expect(
      formatResizeTable(one)
        .split('\n')
        .filter((l) => l.includes('1→2')),
    ).toHaveLength(3);
  });
});
