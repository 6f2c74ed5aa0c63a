import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createScheduler } from '../scheduler.ts';
import { bandwidth } from './bandwidth.ts';
import { latency } from './latency.ts';
import { limitData } from './limit-data.ts';
import { resetPeer } from './reset-peer.ts';
import { slicer } from './slicer.ts';
import { slowClose } from './slow-close.ts';
import { harness } from './stage-harness.ts';
import { timeout } from './timeout.ts';

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'],
  });
});
afterEach(() => {
  vi.useRealTimers();
});

const pushTimes = (events: { kind: string; at: number }[]): number[] =>
  events.filter((event) => event.kind === 'push').map((event) => event.at);

describe('latency', () => {
  it('releases each chunk at its own arrival + latency: back-to-back chunks do not pile up', () => {
    const start = performance.now();
    const h = harness(latency, { latency: 5 }, createScheduler({ wakeThread: false }));
    h.write('a');
    vi.advanceTimersByTime(1);
    h.write('b');
    vi.advanceTimersByTime(1);
    h.write('c');
    vi.advanceTimersByTime(10);
    expect(h.output()).toBe('abc');
    expect(pushTimes(h.events).map((at) => Math.round(at - start))).toEqual([5, 6, 7]);
  });

  it('keeps every delay within latency ± jitter and never reorders', () => {
    const start = performance.now();
    const h = harness(latency, { latency: 10, jitter: 4 }, createScheduler({ wakeThread: false }));
    for (let i = 0; i < 50; i++) h.write(String.fromCharCode(65 + (i % 26)));
    vi.advanceTimersByTime(20);
    expect(h.output()).toHaveLength(50);
    for (const at of pushTimes(h.events)) {
      expect(at - start).toBeGreaterThanOrEqual(6);
      expect(at - start).toBeLessThanOrEqual(14);
    }
  });

  it('delays the end until the last chunk is out', () => {
    const h = harness(latency, { latency: 5 }, createScheduler({ wakeThread: false }));
    h.write('x');
    h.stage.end();
    expect(h.events).toHaveLength(0);
    vi.advanceTimersByTime(6);
    expect(h.events.map((event) => event.kind)).toEqual(['push', 'end']);
  });
});

describe('bandwidth', () => {
  it('sends 1 KB in about 1 s at 1 KB/s, in slices of 100 ms', () => {
    const start = performance.now();
    const h = harness(bandwidth, { rate: 1 }, createScheduler({ wakeThread: false }));
    h.write('x'.repeat(1000));
    vi.advanceTimersByTime(2_000);
    const times = pushTimes(h.events);
    expect(times).toHaveLength(10);
    expect(Math.round((times.at(-1) as number) - start)).toBe(1_000);
    expect(h.output()).toHaveLength(1000);
  });
});

describe('timeout', () => {
  it('with 0 holds the connection open and drops data forever', () => {
    const h = harness(timeout, { timeout: 0 }, createScheduler({ wakeThread: false }));
    h.write('lost');
    vi.advanceTimersByTime(600_000);
    expect(h.events).toEqual([]);
  });

  it('closes the connection after the timeout', () => {
    const start = performance.now();
    const h = harness(timeout, { timeout: 100 }, createScheduler({ wakeThread: false }));
    h.write('lost');
    vi.advanceTimersByTime(200);
    expect(h.events.map((event) => [event.kind, event.at - start])).toEqual([['close', 100]]);
  });
});

describe('reset_peer', () => {
  it('resets on the first data with timeout 0 and drops it', () => {
    const h = harness(resetPeer, {}, createScheduler({ wakeThread: false }));
    h.write('x');
    expect(h.events.map((event) => event.kind)).toEqual(['reset']);
  });

  it('resets `timeout` ms after data arrives', () => {
    const start = performance.now();
    const h = harness(resetPeer, { timeout: 30 }, createScheduler({ wakeThread: false }));
    vi.advanceTimersByTime(100);
    expect(h.events).toEqual([]);
    h.write('x');
    vi.advanceTimersByTime(100);
    expect(h.events.map((event) => [event.kind, event.at - start])).toEqual([['reset', 130]]);
  });
});

describe('slow_close', () => {
  it('passes data at once and delays the end', () => {
    const start = performance.now();
    const h = harness(slowClose, { delay: 40 }, createScheduler({ wakeThread: false }));
    h.write('now');
    h.stage.end();
    vi.advanceTimersByTime(100);
    expect(h.events.map((event) => [event.kind, event.at - start])).toEqual([
      ['push', 0],
      ['end', 40],
    ]);
  });
});

describe('limit_data', () => {
  it('passes exactly `bytes` bytes then closes the connection', () => {
    const h = harness(limitData, { bytes: 7 }, createScheduler({ wakeThread: false }));
    h.write('abcd');
    h.write('efghij');
    h.write('more');
    expect(h.output()).toBe('abcdefg');
    expect(h.events.map((event) => event.kind)).toEqual(['push', 'push', 'close']);
  });
});

describe('slicer', () => {
  it('cuts a chunk into slices of about average_size bytes, `delay` µs apart', () => {
    const start = performance.now();
    const h = harness(
      slicer,
      { average_size: 4, size_variation: 0, delay: 2000 },
      createScheduler({ wakeThread: false }),
    );
    h.write('abcdefghijkl');
    vi.advanceTimersByTime(10);
    expect(h.events.map((event) => event.kind === 'push' && event.data)).toEqual([
      'abcd',
      'efgh',
      'ijkl',
    ]);
    expect(pushTimes(h.events).map((at) => at - start)).toEqual([0, 2, 4]);
  });
});
