import { describe, expect, it } from 'vitest';
import {
  bytes,
  formatAs,
  listProse,
  millis,
  NA,
  number,
  percent,
  rps,
  signedPercent,
  times,
} from './format.ts';

describe('format', () => {
  it('formats ratios as percentages', () => {
    expect(percent(0.1234)).toBe('12.3%');
    expect(percent(1)).toBe('100.0%');
    expect(percent(0.000123, 3)).toBe('0.012%');
    expect(percent(null)).toBe(NA);
    expect(percent(Number.NaN)).toBe(NA);
  });

  it('signs relative changes', () => {
    expect(signedPercent(0.123)).toBe('+12.3%');
    expect(signedPercent(-0.5)).toBe('-50.0%');
    expect(signedPercent(0)).toBe('0.0%');
    expect(signedPercent(0.00001)).toBe('0.0%');
    expect(signedPercent(null)).toBe(NA);
  });

  it('gives milliseconds a precision that suits their size', () => {
    expect(millis(0.000025)).toBe('25 ns');
    expect(millis(0.04234)).toBe('42.3 µs');
    expect(millis(0.5)).toBe('0.50 ms');
    expect(millis(0)).toBe('0 ms');
    expect(millis(3.214)).toBe('3.21 ms');
    expect(millis(45.26)).toBe('45.3 ms');
    expect(millis(1234.5)).toBe('1235 ms');
    expect(millis(undefined)).toBe(NA);
  });

  it('formats numbers, ratios of numbers, bytes, rates and lists', () => {
    expect(number(1234.5, 1)).toBe('1,234.5');
    expect(times(0.95, 0.17)).toBe('5.6×');
    expect(times(500, 2)).toBe('250×');
    expect(times(1, 0)).toBe('∞×');
    expect(times(0, 0)).toBe('1.0×');
    expect(bytes(24 * 1024 ** 3)).toBe('24.0 GiB');
    expect(bytes(512)).toBe('512 B');
    expect(rps(149.96)).toBe('150.0 req/s');
    expect(listProse(['a', 'b', 'c'])).toBe('a, b and c');
    expect(listProse(['a'])).toBe('a');
    expect(listProse([])).toBe('');
  });

  it('formats chart values per chart format', () => {
    expect(formatAs('percent', 0.5)).toBe('50.00%');
    expect(formatAs('ms', 2)).toBe('2.00 ms');
    expect(formatAs('number', 0.1834)).toBe('0.183');
    expect(formatAs('number', 150)).toBe('150');
    expect(formatAs('number', null)).toBe(NA);
  });
});
