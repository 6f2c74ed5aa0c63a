import { describe, expect, it } from 'vitest';
import { isReplayable, type LostRequest, retriesLostRequest } from './keep-alive-retry.ts';

const closed = Object.assign(new Error('closed'), { code: 'ERR_CONNECTION_CLOSED' });
const lost: LostRequest = {
  replayable: true,
  reusedConnection: true,
  responseBytes: 0,
  error: closed,
  retried: false,
};

describe('retriesLostRequest', () => {
  it('retries a GET lost on a reused connection the server closed or reset before any byte', () => {
    expect(retriesLostRequest(lost)).toBe(true);
    for (const code of ['ECONNRESET', 'EPIPE']) {
      expect(retriesLostRequest({ ...lost, error: Object.assign(new Error(code), { code }) })).toBe(
        true,
      );
    }
  });

  it('never retries a request that is not replayable (a write without an Idempotency-Key)', () => {
    expect(retriesLostRequest({ ...lost, replayable: false })).toBe(false);
  });

  it('never retries on a fresh connection: the server refused this request, not an idle socket', () => {
    expect(retriesLostRequest({ ...lost, reusedConnection: false })).toBe(false);
  });

  it('never retries once part of the response arrived', () => {
    expect(retriesLostRequest({ ...lost, responseBytes: 1 })).toBe(false);
  });

  it('retries at most once', () => {
    expect(retriesLostRequest({ ...lost, retried: true })).toBe(false);
  });

  it('never retries a timeout, a malformed response, a refused connection or an unknown error', () => {
    for (const code of ['ERR_REQUEST_TIMEOUT', 'ERR_MALFORMED_RESPONSE', 'ECONNREFUSED']) {
      expect(retriesLostRequest({ ...lost, error: Object.assign(new Error(code), { code }) })).toBe(
        false,
      );
    }
    expect(retriesLostRequest({ ...lost, error: new Error('no code') })).toBe(false);
    expect(retriesLostRequest({ ...lost, error: undefined })).toBe(false);
  });
});

describe('isReplayable (Go net/http Request.isReplayable)', () => {
  it('replays the safe methods whatever their headers', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'TRACE', 'get']) {
      expect(isReplayable(method, [])).toBe(true);
    }
  });

  it('replays any other method only with Idempotency-Key or X-Idempotency-Key, in any case', () => {
    for (const method of ['PATCH', 'POST', 'PUT', 'DELETE']) {
      expect(isReplayable(method, ['Host', 'Content-Type'])).toBe(false);
      expect(isReplayable(method, ['Host', 'Idempotency-Key'])).toBe(true);
      expect(isReplayable(method, ['x-idempotency-key'])).toBe(true);
      expect(isReplayable(method, ['Idempotency-Keys', 'Idempotency'])).toBe(false);
    }
  });

  it('retries a keyed write lost on a reused connection exactly like a read, and once only', () => {
    const write: LostRequest = { ...lost, replayable: isReplayable('PATCH', ['Idempotency-Key']) };
    expect(retriesLostRequest(write)).toBe(true);
    expect(retriesLostRequest({ ...write, retried: true })).toBe(false);
    expect(retriesLostRequest({ ...write, responseBytes: 12 })).toBe(false);
    expect(retriesLostRequest({ ...write, reusedConnection: false })).toBe(false);
  });
});
