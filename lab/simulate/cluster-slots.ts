import { CLUSTER_SLOTS } from './key-slot.ts';

/** Slot → master table of `redis-cli --cluster create` with n masters (contiguous, near-equal ranges). */
export function initialSlotTable(masters: number): Int32Array {
  const table = new Int32Array(CLUSTER_SLOTS);
  const perNode = CLUSTER_SLOTS / masters;
  let first = 0;
  let cursor = 0;
  for (let node = 0; node < masters; node++) {
    let last = Math.round(cursor + perNode - 1);
    if (last > CLUSTER_SLOTS - 1 || node === masters - 1) last = CLUSTER_SLOTS - 1;
    if (last < first) last = first;
    table.fill(node, first, last + 1);
    first = last + 1;
    cursor += perNode;
  }
  return table;
}

/** Slots owned by each of `nodes` masters. */
export function slotCounts(table: Int32Array, nodes: number): number[] {
  const counts = new Array<number>(nodes).fill(0);
  for (const node of table) counts[node] = (counts[node] ?? 0) + 1;
  return counts;
}

/** Per-node balance as redis-cli computes it: slots to give away (> 0) or receive (< 0), summing to 0. */
function balances(table: Int32Array, weights: readonly number[]): number[] {
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const counts = slotCounts(table, weights.length);
  const result = weights.map(
    (w, i) => (counts[i] ?? 0) - Math.trunc((CLUSTER_SLOTS / totalWeight) * w),
  );
  let total = result.reduce((sum, b) => sum + b, 0);
  // Rounding leaves a surplus: like redis-cli, let receivers take one more slot each until it is gone.
  for (let pass = 0; total > 0 && pass < CLUSTER_SLOTS; pass++) {
    for (let i = 0; i < result.length && total > 0; i++) {
      if ((result[i] ?? 0) <= 0) {
        result[i] = (result[i] ?? 0) - 1;
        total--;
      }
    }
  }
  return result;
}

/** Moves the first `count` slots (in slot order) owned by `from` to `to`. */
function moveSlots(table: Int32Array, from: number, to: number, count: number): void {
  let left = count;
  for (let slot = 0; slot < table.length && left > 0; slot++) {
    if (table[slot] === from) {
      table[slot] = to;
      left--;
    }
  }
}

/**
 * `redis-cli --cluster rebalance` (with --cluster-use-empty-masters): pair the most-owed receiver
 * with the most-surplus giver until balanced, moving only the surplus — the minimum number of slots.
 * weights.length is the node count after the change; a weight of 0 drains a node (before del-node).
 */
export function rebalanceSlots(table: Int32Array, weights: readonly number[]): Int32Array {
  const next = Int32Array.from(table);
  const balance = balances(next, weights);
  const order = balance
    .map((_, i) => i)
    .sort((a, b) => (balance[a] ?? 0) - (balance[b] ?? 0) || a - b);
  let dst = 0;
  let src = order.length - 1;
  while (dst < src) {
    const d = order[dst] ?? 0;
    const s = order[src] ?? 0;
    const count = Math.min(Math.abs(balance[d] ?? 0), Math.abs(balance[s] ?? 0));
    if (count > 0) moveSlots(next, s, d, count);
    balance[d] = (balance[d] ?? 0) + count;
    balance[s] = (balance[s] ?? 0) - count;
    if (balance[d] === 0) dst++;
    if (balance[s] === 0) src--;
  }
  return next;
}

/** Slot table after adding one empty master to `masters` and rebalancing. */
export function addMasterSlots(table: Int32Array, masters: number): Int32Array {
  return rebalanceSlots(table, new Array<number>(masters + 1).fill(1));
}

/** Slot table after draining the last of `masters` (weight 0) and removing it. */
export function removeMasterSlots(table: Int32Array, masters: number): Int32Array {
  const weights = new Array<number>(masters).fill(1);
  weights[masters - 1] = 0;
  return rebalanceSlots(table, weights);
}

/** Share of the 16384 slots whose owner differs between two tables. */
export function movedSlotShare(before: Int32Array, after: Int32Array): number {
  let moved = 0;
  for (let slot = 0; slot < CLUSTER_SLOTS; slot++) if (before[slot] !== after[slot]) moved++;
  return moved / CLUSTER_SLOTS;
}
