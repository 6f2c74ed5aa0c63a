import { afterEach, describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler } from './scheduler.ts';

const made: Scheduler[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((scheduler) => scheduler.close()));
});

function schedulerWith(wakeThread: boolean): Scheduler {
  const created = createScheduler({ wakeThread });
  made.push(created);
  return created;
}

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

describe.each([
  ['wake thread', true],
  ['setTimeout only', false],
])('scheduler (%s)', (_, wakeThread) => {
  it('never runs a callback before its due time, sub-millisecond ones included', async () => {
    const s = schedulerWith(wakeThread);
    const lateness: number[] = [];
    const base = performance.now();
    for (const offset of [0.05, 0.2, 0.7, 1.3, 3, 7.5]) {
      const due = base + offset;
      s.at(due, () => lateness.push(performance.now() - due));
    }
    await settle(s);
    expect(lateness).toHaveLength(6);
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
  });

  it('runs callbacks in due order, and equal due times in insertion order', async () => {
    const s = schedulerWith(wakeThread);
    const order: string[] = [];
    const base = performance.now() + 2;
    s.at(base + 1, () => order.push('c'));
    s.at(base, () => order.push('a'));
    s.at(base, () => order.push('b'));
    s.at(base - 5, () => order.push('overdue'));
    await settle(s);
    expect(order).toEqual(['overdue', 'a', 'b', 'c']);
  });

  it('does not run a cancelled callback, and counts only live ones', async () => {
    const s = schedulerWith(wakeThread);
    const ran: string[] = [];
    const keep = s.at(performance.now() + 1, () => ran.push('kept'));
    const drop = s.at(performance.now() + 0.5, () => ran.push('dropped'));
    expect(s.pending).toBe(2);
    drop.cancel();
    drop.cancel();
    expect(s.pending).toBe(1);
    await settle(s);
    keep.cancel();
    expect(s.pending).toBe(0);
    expect(ran).toEqual(['kept']);
  });
});
