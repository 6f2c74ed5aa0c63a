import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createScheduler } from '../scheduler.ts';
import { harness } from './stage-harness.ts';
import { TOXIC_KINDS } from './toxic-registry.ts';

// Attributes that make each toxic act (delay, drop, cut or reset); every registered toxic needs one.
const ACTING: Record<string, Record<string, number>> = {
  latency: { latency: 5, jitter: 2 },
  bandwidth: { rate: 1 },
  timeout: { timeout: 50 },
  reset_peer: { timeout: 10 },
  slow_close: { delay: 20 },
  limit_data: { bytes: 10 },
  slicer: { average_size: 3, size_variation: 1, delay: 100 },
};

const INPUT = ['hello ', 'fault ', 'proxy ', 'world'];

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'],
  });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('every toxic has contract settings', () => {
  it('covers exactly the registered toxics', () => {
    expect(Object.keys(ACTING).sort()).toEqual([...TOXIC_KINDS.keys()].sort());
  });
});

describe.each([...TOXIC_KINDS.values()].map((kind) => [kind.type, kind] as const))(
  'toxic contract: %s',
  (type, kind) => {
    const acting = ACTING[type] ?? {};

    it('fills missing attributes with 0 and rejects negative or non-numeric ones', () => {
      const defaults = kind.attributes.parse({});
      expect(Object.values(defaults).every((value) => value === 0)).toBe(true);
      expect(Object.keys(defaults).sort()).toEqual(Object.keys(acting).sort());
      for (const key of Object.keys(acting)) {
        expect(kind.attributes.safeParse({ [key]: -1 }).success).toBe(false);
        expect(kind.attributes.safeParse({ [key]: 'x' }).success).toBe(false);
      }
    });

    it.each([
      ['acting', acting],
      ['default', {}],
    ])(
      'with %s attributes, emits a prefix of its input, in order, then one terminal event',
      (_, attrs) => {
        const h = harness(kind, attrs, createScheduler({ wakeThread: false }));
        for (const part of INPUT) {
          h.write(part);
          vi.advanceTimersByTime(1);
        }
        h.stage.end();
        vi.advanceTimersByTime(60_000);
        expect(INPUT.join('').startsWith(h.output())).toBe(true);
        const terminal = h.events.filter((event) => event.kind !== 'push');
        expect(terminal.length).toBeGreaterThanOrEqual(1);
        expect(h.events.filter((event) => event.kind === 'end').length).toBeLessThanOrEqual(1);
        const lastPush = h.events.map((event) => event.kind).lastIndexOf('push');
        expect(lastPush).toBeLessThan(h.events.indexOf(terminal[0] as (typeof h.events)[number]));
      },
    );

    it('flush hands over everything held at once, and nothing happens afterwards', () => {
      const scheduler = createScheduler({ wakeThread: false });
      const h = harness(kind, acting, scheduler);
      for (const part of INPUT) h.write(part);
      h.stage.flush();
      const count = h.events.length;
      expect(scheduler.pending).toBe(0);
      vi.advanceTimersByTime(60_000);
      expect(h.events.length).toBe(count);
      expect(INPUT.join('').startsWith(h.output())).toBe(true);
    });

    it('dispose drops everything and stops its timers', () => {
      const scheduler = createScheduler({ wakeThread: false });
      const h = harness(kind, acting, scheduler);
      for (const part of INPUT) h.write(part);
      const count = h.events.length;
      h.stage.dispose();
      vi.advanceTimersByTime(60_000);
      expect(h.events.length).toBe(count);
      expect(scheduler.pending).toBe(0);
    });
  },
);
