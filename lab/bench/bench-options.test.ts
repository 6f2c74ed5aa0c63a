import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArgs } from './bench-options.ts';

describe('parseBenchArgs', () => {
  it('runs every part with 10,000 users by default', () => {
    expect(parseBenchArgs([])).toEqual({
      quick: false,
      parts: ['ladder', 'ceilings', 'peer'],
      seedUsers: 10_000,
      profile: false,
    });
  });

  it('reads --quick, --profile, --seed-users and --only (repeated or comma-separated)', () => {
    const options = parseBenchArgs([
      '--quick',
      '--profile',
      '--seed-users',
      '500',
      '--only',
      'peer,ladder',
    ]);
    expect(options).toEqual({
      quick: true,
      parts: ['ladder', 'peer'],
      seedUsers: 500,
      profile: true,
    });
    expect(parseBenchArgs(['--only', 'ceilings', '--only', 'peer']).parts).toEqual([
      'ceilings',
      'peer',
    ]);
  });

  it('rejects unknown parts, bad numbers and unknown flags', () => {
    expect(() => parseBenchArgs(['--only', 'disk'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--seed-users', '0'])).toThrow(/--seed-users/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(BenchUsageError);
  });
});
