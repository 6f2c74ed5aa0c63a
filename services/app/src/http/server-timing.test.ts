import { describe, expect, it } from 'vitest';
import { formatServerTiming } from './server-timing.ts';

describe('formatServerTiming', () => {
  it('formats both durations in ms with three decimals', () => {
    expect(formatServerTiming({ cacheMs: 0.0423, dbMs: 12.3456 })).toBe(
      'cache;dur=0.042, db;dur=12.346',
    );
  });

  it('writes zero for durations that did not happen', () => {
    expect(formatServerTiming({ cacheMs: 0, dbMs: 0 })).toBe('cache;dur=0.000, db;dur=0.000');
  });

  it('never emits negative or non-finite values', () => {
    expect(formatServerTiming({ cacheMs: -1, dbMs: Number.NaN })).toBe(
      'cache;dur=0.000, db;dur=0.000',
    );
  });
});
