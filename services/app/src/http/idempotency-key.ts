import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { PROFILE_PATCH_FIELDS, type ProfilePatch } from '../db/profile-patch.ts';
import { AppError } from '../errors.ts';

/** Longest accepted key, in characters (a UUID is 36). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** The header names that carry a key, as Go's net/http recognises them (`Request.isReplayable`). */
export const IDEMPOTENCY_HEADERS = ['idempotency-key', 'x-idempotency-key'] as const;

// An sf-string (RFC 8941 §3.3.3: printable ASCII, `\"` and `\\` escaped), or the bare value many
// clients send: visible ASCII without quote, backslash or comma (a comma means two header lines).
const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;
const BARE = /^[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]+$/;

function invalid(message: string): AppError {
  return new AppError('INVALID_IDEMPOTENCY_KEY', `invalid Idempotency-Key: ${message}`);
}

/** The key of one header value; throws INVALID_IDEMPOTENCY_KEY naming what is wrong. */
export function parseIdempotencyKeyValue(raw: string): string {
  const value = raw.trim();
  if (value === '' || value === '""') throw invalid('must not be empty');
  if (/[^\x20-\x7e]/.test(value)) throw invalid('must be printable ASCII');
  const quoted = SF_STRING.exec(value);
  const key = quoted ? (quoted[1] ?? '').replace(/\\(["\\])/g, '$1') : value;
  if (!quoted && !BARE.test(value)) {
    throw invalid('must be one quoted string or one token (no space, comma, quote or backslash)');
  }
  if (key.length === 0) throw invalid('must not be empty');
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw invalid(`must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  }
  return key;
}

/**
 * The request's idempotency key, from `Idempotency-Key` or `X-Idempotency-Key`; undefined when it
 * carries neither. Both with different keys, or a malformed one, is a 400 INVALID_IDEMPOTENCY_KEY.
 */
export function idempotencyKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const keys = IDEMPOTENCY_HEADERS.flatMap((name) => {
    const value = headers[name];
    if (value === undefined) return [];
    return [parseIdempotencyKeyValue(Array.isArray(value) ? value.join(', ') : value)];
  });
  if (keys.length === 2 && keys[0] !== keys[1]) {
    throw invalid('Idempotency-Key and X-Idempotency-Key carry different keys');
  }
  return keys[0];
}

/**
 * What "the same request" means for a key: sha256 of the method, the target and the validated
 * patch in a fixed field order, so a repeat matches whatever its JSON key order or whitespace.
 */
export function patchFingerprint(id: number, patch: ProfilePatch): string {
  const fields = PROFILE_PATCH_FIELDS.map((field) => [field, patch[field] ?? null]);
  return createHash('sha256')
    .update(`PATCH /profiles/${id}\n${JSON.stringify(fields)}`)
    .digest('hex');
}
