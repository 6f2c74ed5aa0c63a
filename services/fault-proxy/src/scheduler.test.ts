import { describe, expect, it } from 'vitest';
import { createScheduler } from './scheduler.ts';

function settle(scheduler: { pending: number }, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (scheduler.pending === 0) resolve();
      else if (performance.now() > deadline) reject(new Error('scheduler did not settle'));
      else setTimeout(check, 1);
    };
    check();
  });
}

describe('scheduler', () => {
  it('never runs a callback before its due time, sub-millisecond ones included', async () => {
    const scheduler = createScheduler();
    const lateness: number[] = [];
    const base = performance.now();
    for (const offset of [0.05, 0.2, 0.7, 1.3, 3, 7.5]) {
      const due = base + offset;
      scheduler.at(due, () => lateness.push(performance.now() - due));
    }
    await settle(scheduler);
    expect(lateness).toHaveLength(6);
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
  });

  it('runs callbacks in due order, and equal due times in insertion order', async () => {
    const scheduler = createScheduler();
    const order: string[] = [];
    const base = performance.now() + 2;
    scheduler.at(base + 1, () => order.push('c'));
    scheduler.at(base, () => order.push('a'));
    scheduler.at(base, () => order.push('b'));
    scheduler.at(base - 5, () => order.push('overdue'));
    await settle(scheduler);
    expect(order).toEqual(['overdue', 'a', 'b', 'c']);
  });

  it('does not run a cancelled callback, and counts only live ones', async () => {
    const scheduler = createScheduler();
    const ran: string[] = [];
    const keep = scheduler.at(performance.now() + 1, () => ran.push('kept'));
    const drop = scheduler.at(performance.now() + 0.5, () => ran.push('dropped'));
    expect(scheduler.pending).toBe(2);
    drop.cancel();
    drop.cancel();
    expect(scheduler.pending).toBe(1);
    await settle(scheduler);
    keep.cancel();
    expect(scheduler.pending).toBe(0);
    expect(ran).toEqual(['kept']);
  });
});
