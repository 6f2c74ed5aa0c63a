import { describe, expect, it } from 'vitest';
import {
  bytes,
  duration,
  fixed,
  formatAs,
  listProse,
  millis,
  multiple,
  NA,
  number,
  percent,
  points,
  rps,
  seconds,
  signedPercent,
  times,
} from './format.ts';

describe('format', () => {
  it('formats ratios as percentages', () => {
    expect(percent(0.1234)).toBe('12.3%');
    expect(percent(0.8123)).toBe('81.2%');
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
    expect(points(0.0234)).toBe('2.3');
    expect(points(0.05, 0)).toBe('5');
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

  it('prints durations from ns to s with three significant digits', () => {
    expect(duration(0.000024)).toBe('24.0 ns');
    expect(duration(0.0013)).toBe('1.30 µs');
    expect(duration(3.37)).toBe('3.37 ms');
    expect(duration(1500)).toBe('1.50 s');
    expect(duration(Number.NaN)).toBe(NA);
    expect(seconds(12.34)).toBe('12.3 s');
    expect(seconds(12.5, 0)).toBe('13 s');
  });

  it('formats numbers, rates, fixed decimals, multiples, bytes and lists', () => {
    expect(number(1234.5, 1)).toBe('1,234.5');
    expect(number(12345.6)).toBe('12,346');
    expect(number(Number.POSITIVE_INFINITY)).toBe(NA);
    expect(fixed(0.12345, 3)).toBe('0.123');
    expect(fixed(-0.0002, 3)).toBe('0.000');
    expect(fixed(null, 3, '-')).toBe('-');
    expect(times(0.95, 0.17)).toBe('5.6×');
    expect(times(500, 2)).toBe('250×');
    expect(times(1, 0)).toBe('∞×');
    expect(times(0, 0)).toBe('1.0×');
    expect(multiple(130)).toBe('130×');
    expect(multiple(1.5)).toBe('1.50×');
    expect(multiple(null)).toBe(NA);
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
