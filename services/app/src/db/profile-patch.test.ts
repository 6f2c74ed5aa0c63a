import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { parseProfilePatch } from './profile-patch.ts';

function rejection(body: unknown): AppError {
  try {
    parseProfilePatch(body);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected parseProfilePatch to throw');
}

describe('parseProfilePatch', () => {
  it('accepts every allowed field and trims strings', () => {
    const patch = parseProfilePatch({
      headline: '  Staff Engineer  ',
      location: 'Berlin, Germany',
      full_name: 'Ada Okafor',
      about: '',
      open_to_work: true,
    });
    expect(patch).toEqual({
      headline: 'Staff Engineer',
      location: 'Berlin, Germany',
      full_name: 'Ada Okafor',
      about: '',
      open_to_work: true,
    });
  });

  it('accepts a single field', () => {
    expect(parseProfilePatch({ open_to_work: false })).toEqual({ open_to_work: false });
  });

  it('rejects an empty object: at least one field is required', () => {
    const error = rejection({});
    expect(error.code).toBe('INVALID_BODY');
    expect(error.message).toMatch(/at least one field/);
  });

  it('rejects unknown fields and names them', () => {
    const error = rejection({ headline: 'ok', version: 7 });
    expect(error.code).toBe('INVALID_BODY');
    expect(error.message).toMatch(/unknown field\(s\): version/);
  });

  it('rejects values of the wrong type, naming the field', () => {
    expect(rejection({ open_to_work: 'yes' }).message).toMatch(/open_to_work: must be a boolean/);
    expect(rejection({ headline: 42 }).message).toMatch(/headline: must be a string/);
    expect(rejection({ location: null }).message).toMatch(/location: must be a string/);
  });

  it('enforces the length limits in characters', () => {
    expect(parseProfilePatch({ headline: 'h'.repeat(220) }).headline).toHaveLength(220);
    expect(rejection({ headline: 'h'.repeat(221) }).message).toMatch(/headline: .*at most 220/);
    expect(rejection({ location: 'l'.repeat(121) }).message).toMatch(/location: .*at most 120/);
    expect(rejection({ full_name: 'n'.repeat(121) }).message).toMatch(/full_name: .*at most 120/);
    expect(rejection({ about: 'a'.repeat(2001) }).message).toMatch(/about: .*at most 2000/);
    // 220 emoji are 440 UTF-16 units but 220 characters.
    expect(parseProfilePatch({ headline: '🚀'.repeat(220) }).headline).toBe('🚀'.repeat(220));
  });

  it('rejects blank required strings after trimming', () => {
    expect(rejection({ full_name: '   ' }).message).toMatch(/full_name: must not be empty/);
    expect(rejection({ headline: '' }).message).toMatch(/headline: must not be empty/);
  });

  it('rejects bodies that are not JSON objects', () => {
    for (const body of [null, undefined, 'headline', 42, [{ headline: 'x' }]]) {
      const error = rejection(body);
      expect(error.code).toBe('INVALID_BODY');
      expect(error.message).toMatch(/body must be a JSON object/);
    }
  });

  it('reports every problem at once in details', () => {
    const error = rejection({ headline: '', open_to_work: 1, extra: true });
    expect(error.details?.problems).toHaveLength(3);
  });
});
