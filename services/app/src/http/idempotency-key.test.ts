import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import {
  idempotencyKeyOf,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  parseIdempotencyKeyValue,
  patchFingerprint,
} from './idempotency-key.ts';

function rejection(run: () => unknown): { code: string; status: number; message: string } {
  try {
    run();
  } catch (error) {
    if (isAppError(error))
      return { code: error.code, status: error.status, message: error.message };
    throw error;
  }
  throw new Error('expected a rejection');
}

const UUID = '8e03978e-40d5-43e8-bc93-6894a57f9324';

describe('parseIdempotencyKeyValue', () => {
  it('accepts the draft sf-string form and the bare form many clients send', () => {
    expect(parseIdempotencyKeyValue(`"${UUID}"`)).toBe(UUID);
    expect(parseIdempotencyKeyValue(UUID)).toBe(UUID);
    expect(parseIdempotencyKeyValue('"a \\"quoted\\" key"')).toBe('a "quoted" key');
    expect(parseIdempotencyKeyValue('x'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH))).toHaveLength(255);
  });

  it('rejects empty, too long, non-ASCII and two-key values as 400 with the reason', () => {
    const cases: [string, RegExp][] = [
      ['', /must not be empty/],
      ['  ', /must not be empty/],
      ['""', /must not be empty/],
      ['x'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1), /at most 255 characters/],
      ['clé', /printable ASCII/],
      ['a, b', /one quoted string or one token/],
      ['"a", "b"', /one quoted string or one token/],
      ['"unterminated', /one quoted string or one token/],
    ];
    for (const [value, message] of cases) {
      const error = rejection(() => parseIdempotencyKeyValue(value));
      expect({ value, code: error.code, status: error.status }).toEqual({
        value,
        code: 'INVALID_IDEMPOTENCY_KEY',
        status: 400,
      });
      expect(error.message).toMatch(message);
    }
  });
});

describe('idempotencyKeyOf', () => {
  it('reads Idempotency-Key or X-Idempotency-Key, and neither means no key', () => {
    expect(idempotencyKeyOf({ 'idempotency-key': UUID })).toBe(UUID);
    expect(idempotencyKeyOf({ 'x-idempotency-key': UUID })).toBe(UUID);
    expect(idempotencyKeyOf({ 'idempotency-key': UUID, 'x-idempotency-key': `"${UUID}"` })).toBe(
      UUID,
    );
    expect(idempotencyKeyOf({})).toBeUndefined();
  });

  it('rejects two different keys', () => {
    const error = rejection(() =>
      idempotencyKeyOf({ 'idempotency-key': 'a', 'x-idempotency-key': 'b' }),
    );
    expect(error.code).toBe('INVALID_IDEMPOTENCY_KEY');
  });
});

describe('patchFingerprint', () => {
  it('is the same for the same target and patch in any field order, and differs otherwise', () => {
    const a = patchFingerprint(7, { headline: 'h', about: '' });
    expect(patchFingerprint(7, { about: '', headline: 'h' })).toBe(a);
    expect(patchFingerprint(8, { headline: 'h', about: '' })).not.toBe(a);
    expect(patchFingerprint(7, { headline: 'h' })).not.toBe(a);
    expect(patchFingerprint(7, { headline: 'H', about: '' })).not.toBe(a);
  });
});
