import { describe, expect, it } from 'vitest';
import { ACKS_KEPT_PER_ID, StalenessTracker } from './staleness.ts';

describe('StalenessTracker', () => {
  it('counts a read that started after the ack and returned an older version', () => {
    const t = new StalenessTracker();
    t.recordAck(1, 5, 100);
    expect(t.checkRead(1, 4, 130, true)).toBe(30);
    expect(t.checkRead(1, 4, 180, true)).toBe(80);
    expect(t.checkRead(1, 5, 200, true)).toBeUndefined();
    expect(t.staleReads).toBe(2);
    expect(t.checkedReads).toBe(3);
    expect(t.maxStaleWindowMs).toBe(80);
    expect(t.staleReadRate).toBeCloseTo(2 / 3);
  });

  it('counts an older grace answer (X-Cache: STALE) apart from the silent stale reads', () => {
    const t = new StalenessTracker();
    t.recordAck(1, 5, 100);
    expect(t.checkRead(1, 4, 2_900, true, true)).toBeUndefined();
    expect(t.checkRead(1, 5, 3_000, true, true)).toBeUndefined();
    expect(t.checkRead(1, 4, 150, true)).toBe(50);
    expect(t.graceStaleReads).toBe(1);
    expect(t.staleReads).toBe(1);
    expect(t.maxStaleWindowMs).toBe(50);
    expect(t.checkedReads).toBe(3);
  });

  it('does not count reads that started before the ack, or of other ids', () => {
    const t = new StalenessTracker();
    t.recordAck(1, 5, 100);
    expect(t.checkRead(1, 4, 99, true)).toBeUndefined();
    expect(t.checkRead(2, 1, 500, true)).toBeUndefined();
    expect(t.staleReads).toBe(0);
  });

  it('dates staleness from the first acknowledged newer version, even out of order', () => {
    const t = new StalenessTracker();
    t.recordAck(1, 7, 100);
    t.recordAck(1, 6, 150);
    expect(t.checkRead(1, 5, 200, true)).toBe(100);
    expect(t.checkRead(1, 6, 200, true)).toBe(100);
  });

  it('tracks but does not count unmeasured (warm-up) reads', () => {
    const t = new StalenessTracker();
    t.recordAck(1, 2, 0);
    expect(t.checkRead(1, 1, 10, false)).toBe(10);
    expect(t.staleReads).toBe(0);
    expect(t.checkedReads).toBe(0);
    expect(t.staleReadRate).toBe(0);
  });

  it('keeps a bounded number of acks per id', () => {
    const t = new StalenessTracker();
    for (let v = 1; v <= ACKS_KEPT_PER_ID + 5; v++) t.recordAck(1, v, v * 10);
    // Versions 1..5 were forgotten: the oldest remembered newer version is 6, acked at 60.
    expect(t.checkRead(1, 0, 1000, true)).toBe(1000 - 60);
  });
});
