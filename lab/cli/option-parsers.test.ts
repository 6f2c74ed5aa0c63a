import { InvalidArgumentError } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import {
  driverName,
  durationOrZeroSeconds,
  durationSeconds,
  integerInRange,
  integerList,
  nonNegativeNumber,
  positiveInteger,
  positiveNumber,
  share,
  someOf,
  topologyList,
  workloadName,
} from './option-parsers.ts';

describe('option parsers', () => {
  it('take positive numbers and integers, and refuse anything else', () => {
    expect(positiveNumber('2.5')).toBe(2.5);
    for (const bad of ['0', '-1', '', 'abc', '1e3', 'Infinity']) {
      expect(() => positiveNumber(bad), bad).toThrow(InvalidArgumentError);
    }
    expect(nonNegativeNumber('0')).toBe(0);
    expect(positiveInteger('500')).toBe(500);
    expect(() => positiveInteger('1.5')).toThrow(/expected a positive integer, got '1.5'/);
    expect(() => positiveInteger('0')).toThrow(InvalidArgumentError);
    expect(integerInRange(0)('0')).toBe(0);
    expect(() => integerInRange(1, 65_535)('abc')).toThrow(
      "expected an integer from 1 to 65535, got 'abc'",
    );
    expect(() => integerInRange(1, 65_535)('70000')).toThrow(InvalidArgumentError);
  });

  it('split lists, dropping blanks, and check every item', () => {
    expect(integerList()('1, 2,8,')).toEqual([1, 2, 8]);
    expect(() => integerList()('1,0')).toThrow(InvalidArgumentError);
    expect(() => integerList()(',')).toThrow(/list of integers/);
    expect(topologyList('local, global,')).toEqual(['local', 'global']);
    expect(() => topologyList('local,nope')).toThrow(/unknown topology 'nope'; valid names:/);
    expect(() => topologyList('local,local')).toThrow(/'local' is listed twice/);
    expect(() => topologyList(' , ')).toThrow(/at least one topology/);
  });

  it('take names from a fixed set', () => {
    expect(driverName('compose')).toBe('compose');
    expect(() => driverName('podman')).toThrow(/expected one of native, compose/);
    expect(workloadName('hot-key')).toBe('hot-key');
    expect(() => workloadName('heavy')).toThrow(/unknown workload 'heavy'; valid: read-heavy/);
    const parts = someOf(['ladder', 'ceilings', 'peer'] as const);
    expect(parts('peer,ladder')).toEqual(['ladder', 'peer']);
    expect(parts('peer', ['ceilings'])).toEqual(['ceilings', 'peer']);
    expect(() => parts('disk')).toThrow(/expected one of ladder, ceilings, peer, got 'disk'/);
  });

  it('read durations with units, and shares as percentages or fractions', () => {
    expect(durationSeconds('90')).toBe(90);
    expect(durationSeconds('90s')).toBe(90);
    expect(durationSeconds('500ms')).toBe(0.5);
    expect(durationSeconds('2m')).toBe(120);
    expect(durationSeconds('1.5h')).toBe(5400);
    for (const bad of ['0', '-5', '5 minutes', 'm', '']) {
      expect(() => durationSeconds(bad), bad).toThrow(InvalidArgumentError);
    }
    expect(durationOrZeroSeconds('0')).toBe(0);
    expect(durationOrZeroSeconds('4s')).toBe(4);
    expect(share('5%')).toBe(0.05);
    expect(share('0.1%')).toBeCloseTo(0.001, 12);
    expect(share('0.05')).toBe(0.05);
    expect(() => share('101%')).toThrow(/share such as 5% or 0.05/);
    expect(() => share('2')).toThrow(InvalidArgumentError);
    expect(() => share('-1')).toThrow(InvalidArgumentError);
  });
});
