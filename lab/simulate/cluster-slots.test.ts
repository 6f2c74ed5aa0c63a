import { describe, expect, it } from 'vitest';
import {
  addMasterSlots,
  initialSlotTable,
  movedSlotShare,
  removeMasterSlots,
  slotCounts,
} from './cluster-slots.ts';
import { CLUSTER_SLOTS } from './key-slot.ts';

describe('cluster slot tables', () => {
  it('allocates like redis-cli --cluster create with 3 masters (0-5460, 5461-10922, 10923-16383)', () => {
    const table = initialSlotTable(3);
    expect([table[0], table[5460], table[5461], table[10922], table[10923], table[16383]]).toEqual([
      0, 0, 1, 1, 2, 2,
    ]);
    expect(slotCounts(table, 3)).toEqual([5461, 5462, 5461]);
  });

  it('adding a master moves 1/(N+1) of the slots, only the surplus, and balances the nodes', () => {
    for (const n of [1, 2, 3, 4, 7, 8, 16]) {
      const before = initialSlotTable(n);
      const after = addMasterSlots(before, n);
      const counts = slotCounts(after, n + 1);
      const target = CLUSTER_SLOTS / (n + 1);
      const surplus = slotCounts(before, n + 1).reduce(
        (sum, c) => sum + Math.max(0, c - target),
        0,
      );
      // 1/(N+1) of the slots, plus the rounding remainder redis-cli gives the new node (< N+1 slots).
      expect(Math.abs(movedSlotShare(before, after) * CLUSTER_SLOTS - target)).toBeLessThan(n + 1);
      // The minimum: no slot moves that a balanced result did not require (± rounding).
      expect(Math.abs(movedSlotShare(before, after) * CLUSTER_SLOTS - surplus)).toBeLessThan(n + 1);
      // redis-cli hands the rounding remainder (< N+1 slots) to the receiving node.
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(n + 1);
    }
  });

  it('draining a master moves its slots, 1/N of them, to the others', () => {
    for (const n of [2, 3, 4, 8]) {
      const before = initialSlotTable(n);
      const after = removeMasterSlots(before, n);
      expect(slotCounts(after, n)[n - 1]).toBe(0);
      expect(movedSlotShare(before, after)).toBeCloseTo(1 / n, 3);
      for (let slot = 0; slot < CLUSTER_SLOTS; slot++) {
        if (before[slot] !== after[slot]) expect(before[slot]).toBe(n - 1);
      }
    }
  });
});
