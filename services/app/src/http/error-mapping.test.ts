import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { errorBody, toAppError } from './error-mapping.ts';

/** An error shaped like the ones body-parser and Express raise (http-errors: status + type). */
function httpError(status: number, type?: string): Error {
  return Object.assign(new Error(`raw ${status}`), {
    status,
    statusCode: status,
    type,
    expose: true,
  });
}

describe('toAppError', () => {
  it('passes AppErrors through unchanged', () => {
    const original = new AppError('INVALID_BODY', 'bad');
    expect(toAppError(original)).toBe(original);
  });

  it.each([
    ['entity.too.large', 413, 'PAYLOAD_TOO_LARGE'],
    ['entity.parse.failed', 400, 'INVALID_JSON'],
    ['encoding.unsupported', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['charset.unsupported', 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ])('maps body-parser %s to %s', (type, status, code) => {
    const mapped = toAppError(httpError(status, type));
    expect(mapped.code).toBe(code);
    expect(mapped.status).toBe(status);
    expect(mapped.cause).toBeInstanceOf(Error);
  });

  it('maps other client errors by status', () => {
    expect(toAppError(httpError(400)).code).toBe('BAD_REQUEST');
    expect(toAppError(httpError(405)).code).toBe('METHOD_NOT_ALLOWED');
    expect(toAppError(httpError(418)).code).toBe('BAD_REQUEST');
  });

  it('turns everything else into INTERNAL without leaking the original message', () => {
    const mapped = toAppError(new TypeError('secret detail at /srv/x.ts:1'));
    expect(mapped.code).toBe('INTERNAL');
    expect(mapped.message).not.toContain('secret');
    expect(toAppError(httpError(502)).code).toBe('INTERNAL');
    expect(toAppError('a string').code).toBe('INTERNAL');
  });
});

describe('errorBody', () => {
  it('has code and message and never a stack', () => {
    const body = errorBody(new AppError('PROFILE_NOT_FOUND', 'profile 9 not found'));
    expect(body).toEqual({ error: { code: 'PROFILE_NOT_FOUND', message: 'profile 9 not found' } });
    expect(JSON.stringify(body)).not.toContain('stack');
  });

  it('hides the internal message of server errors behind a fixed one per code', () => {
    const cause = new Error('connect ECONNREFUSED 10.0.0.5:5432');
    const error = new AppError('DATABASE_UNAVAILABLE', `database down: ${cause.message}`, {
      cause,
    });
    expect(errorBody(error)).toEqual({
      error: { code: 'DATABASE_UNAVAILABLE', message: 'database unavailable' },
    });
    expect(errorBody(new AppError('INTERNAL', 'null deref in x.ts')).error.message).toBe(
      'internal server error',
    );
  });

  it('includes details for client errors only', () => {
    const details = { field: 'headline' };
    expect(errorBody(new AppError('INVALID_BODY', 'x', { details })).error.details).toEqual(
      details,
    );
    expect(errorBody(new AppError('INTERNAL', 'x', { details })).error.details).toBeUndefined();
  });
});
