import { describe, expect, it } from 'vitest';
import { parseDurationSeconds, parseShare } from './units.ts';

describe('parseDurationSeconds', () => {
  it('reads units, and a bare number in the unit asked for', () => {
    expect(parseDurationSeconds('90')).toBe(90);
    expect(parseDurationSeconds('500ms')).toBe(0.5);
    expect(parseDurationSeconds('2m')).toBe(120);
    expect(parseDurationSeconds('1.5h')).toBe(5400);
    expect(parseDurationSeconds('50', 'ms')).toBe(0.05);
    expect(parseDurationSeconds('0.2s', 'ms')).toBe(0.2);
  });

  it('refuses what is not a duration', () => {
    for (const bad of ['', '-1', 'ten', '5 parsecs', '1e3']) {
      expect(parseDurationSeconds(bad), bad).toBeUndefined();
    }
  });
});

describe('parseShare', () => {
  it('reads percentages and fractions in [0, 1]', () => {
    expect(parseShare('5%')).toBe(0.05);
    expect(parseShare('0.001')).toBe(0.001);
    expect(parseShare('100%')).toBe(1);
  });

  it('refuses shares above 1 and non-numbers', () => {
    for (const bad of ['150%', '2', 'half', '-0.1']) expect(parseShare(bad), bad).toBeUndefined();
  });
});
