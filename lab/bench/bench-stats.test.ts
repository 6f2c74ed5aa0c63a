import { describe, expect, it } from 'vitest';
import { multiple } from '../text/format.ts';
import { atLeast, atMost, median, ratio, roundSignificant } from './bench-stats.ts';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });
});

describe('ratio', () => {
  it('divides by a positive reference and refuses others', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNull();
    expect(ratio(Number.NaN, 2)).toBeNull();
  });
});

describe('roundSignificant', () => {
  it('keeps the given number of significant digits', () => {
    expect(roundSignificant(0.000123456, 3)).toBe(0.000123);
  });
});

describe('goals', () => {
  it('atLeast passes at the threshold and says how far short it is otherwise', () => {
    expect(atLeast('g', 0.8, 0.8).pass).toBe(true);
    const miss = atLeast('g', 0.5, 0.8);
    expect(miss.pass).toBe(false);
    expect(miss.detail).toBe('50.0% vs ≥ 80.0%; short by 30.0%');
  });

  it('atMost fails above the threshold, with the overshoot in the given format', () => {
    expect(atMost('g', 0.1, 0.15).pass).toBe(true);
    const over = atMost('g', 1.5, 1.2, multiple);
    expect(over.pass).toBe(false);
    expect(over.detail).toBe('1.50× vs ≤ 1.20×; over by 0.30×');
  });

  it('fails when nothing was measured', () => {
    expect(atLeast('g', null, 1).pass).toBe(false);
    expect(atMost('g', null, 1).detail).toBe('not measured');
  });
});
