import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { isDatabaseUnavailable, toDatabaseError } from './db-errors.ts';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isDatabaseUnavailable', () => {
  it('recognises socket failures', () => {
    expect(isDatabaseUnavailable(withCode('connect ECONNREFUSED', 'ECONNREFUSED'))).toBe(true);
    expect(isDatabaseUnavailable(withCode('read ECONNRESET', 'ECONNRESET'))).toBe(true);
    const both = new AggregateError([withCode('a', 'ECONNREFUSED'), withCode('b', 'ECONNREFUSED')]);
    expect(isDatabaseUnavailable(both)).toBe(true);
  });

  it('recognises node-postgres and pg-pool timeouts and disconnects', () => {
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Query read timeout'))).toBe(true);
  });

  it('recognises server states that mean "not now"', () => {
    expect(isDatabaseUnavailable(withCode('terminating connection', '57P01'))).toBe(true);
    expect(isDatabaseUnavailable(withCode('statement timeout', '57014'))).toBe(true);
    expect(isDatabaseUnavailable(withCode('too many clients', '53300'))).toBe(true);
    expect(isDatabaseUnavailable(withCode('connection failure', '08006'))).toBe(true);
  });

  it('leaves query bugs alone', () => {
    expect(isDatabaseUnavailable(withCode('syntax error', '42601'))).toBe(false);
    expect(isDatabaseUnavailable(withCode('undefined table', '42P01'))).toBe(false);
    expect(isDatabaseUnavailable('a string')).toBe(false);
  });
});

describe('toDatabaseError', () => {
  it('maps unavailability to DATABASE_UNAVAILABLE and keeps the cause', () => {
    const cause = withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED');
    const error = toDatabaseError(cause, 'profile_aggregate');
    expect(error.code).toBe('DATABASE_UNAVAILABLE');
    expect(error.status).toBe(503);
    expect(error.cause).toBe(cause);
    expect(error.message).toMatch(/profile_aggregate/);
  });

  it('maps other failures to INTERNAL with the cause', () => {
    const cause = withCode('relation "users" does not exist', '42P01');
    const error = toDatabaseError(cause, 'profile_update');
    expect(error.code).toBe('INTERNAL');
    expect(error.cause).toBe(cause);
  });

  it('passes AppErrors through', () => {
    const original = new AppError('INVALID_ID', 'bad id');
    expect(toDatabaseError(original, 'ping')).toBe(original);
  });
});
