import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import { parseProfileId } from './profile-id.ts';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return isAppError(error) ? error.code : 'not an AppError';
  }
}

describe('parseProfileId', () => {
  it('accepts canonical integers in 1..max', () => {
    expect(parseProfileId('1', 200)).toBe(1);
    expect(parseProfileId('200', 200)).toBe(200);
    expect(parseProfileId('2147483647', 2_147_483_647)).toBe(2_147_483_647);
  });

  it.each([
    '0',
    '-1',
    'abc',
    '1.5',
    '99999999999999999999',
    '1e3',
    '',
    ' 1',
    '1 ',
    '+1',
    '01',
    '0x10',
    '１',
    '2147483648',
  ])('rejects %j with INVALID_ID', (raw) => {
    expect(codeOf(() => parseProfileId(raw, 2_147_483_647))).toBe('INVALID_ID');
  });

  it('rejects ids above the configured maximum', () => {
    expect(codeOf(() => parseProfileId('201', 200))).toBe('INVALID_ID');
  });

  it('rejects values that are not strings', () => {
    expect(codeOf(() => parseProfileId(undefined, 10))).toBe('INVALID_ID');
    expect(codeOf(() => parseProfileId(['1'], 10))).toBe('INVALID_ID');
  });

  it('reports a 400 with the offending value, truncated', () => {
    try {
      parseProfileId('9'.repeat(100), 10);
      expect.unreachable();
    } catch (error) {
      expect(isAppError(error) && error.status).toBe(400);
      expect(isAppError(error) && String(error.details?.id).length).toBe(32);
    }
  });
});
