import { AppError } from '../errors.ts';

/** Canonical decimal form only: no sign, no leading zero, no exponent, at most 10 digits. */
const CANONICAL_ID = /^[1-9][0-9]{0,9}$/;

/**
 * Parses a profile id from a path segment; anything but a canonical integer in 1..maxId is 400 INVALID_ID.
 * Non-canonical spellings (`01`, `+1`, `1e3`) are refused so one profile has exactly one URL and cache key.
 */
export function parseProfileId(raw: unknown, maxId: number): number {
  if (typeof raw !== 'string' || !CANONICAL_ID.test(raw)) {
    throw invalidId(raw, maxId);
  }
  const id = Number(raw);
  if (id > maxId) throw invalidId(raw, maxId);
  return id;
}

function invalidId(raw: unknown, maxId: number): AppError {
  const shown = typeof raw === 'string' ? raw.slice(0, 32) : String(raw);
  return new AppError('INVALID_ID', `profile id must be an integer in 1..${maxId}`, {
    details: { id: shown },
  });
}
