import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServerHandle } from '../lab/run/processes/app-server.ts';
import {
  type Backends,
  call,
  errorOf,
  MISSING_ID,
  patchProfile,
  type Reply,
  rawRequest,
  readProfile,
  startBackends,
} from './app-support.ts';

// One app server (CACHE_MODE=global) on real Postgres + Redis: the HTTP contract and every bad input.
let backends: Backends;
let app: AppServerHandle;
const replies: Reply[] = [];

/** Calls the app and remembers the reply, so the last test can check X-Served-By on all of them. */
async function hit(path: string, init?: RequestInit): Promise<Reply> {
  const reply = await call(app.url, path, init);
  replies.push(reply);
  return reply;
}

function expectError(reply: Reply, status: number, code: string): void {
  expect({ status: reply.status, code: errorOf(reply).code }).toEqual({ status, code });
  expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(reply.text).not.toMatch(/stack|<html|\n\s+at /i);
}

beforeAll(async () => {
  backends = await startBackends({ prefix: 'cachelab-app-http', redis: true });
  app = await backends.startApp('app-http', { CACHE_MODE: 'global' });
});

afterAll(async () => {
  await backends?.stop();
});

describe('profiles', () => {
  it('serves the same bytes on MISS and HIT-L2, with version and timing headers', async () => {
    const miss = await readProfile(app.url, 7);
    const hitL2 = await readProfile(app.url, 7);
    replies.push(miss, hitL2);
    expect([miss.status, miss.cache, hitL2.status, hitL2.cache]).toEqual([
      200,
      'MISS',
      200,
      'HIT-L2',
    ]);
    expect(hitL2.bytes.equals(miss.bytes)).toBe(true);
    expect(miss.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const document = JSON.parse(miss.text) as { id: number; version: number };
    expect(document.id).toBe(7);
    expect(miss.version).toBe(document.version);
    expect(miss.headers.get('server-timing')).toMatch(/^cache;dur=\d+\.\d{3}, db;dur=\d+\.\d{3}$/);
    expect(miss.headers.get('x-powered-by')).toBeNull();
    expect(miss.headers.get('etag')).toBeNull();
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const reply = await hit('/profiles/7', { method: 'HEAD' });
    expect(reply.status).toBe(200);
    expect(reply.bytes.length).toBe(0);
    expect(reply.headers.get('x-cache')).toBe('HIT-L2');
  });

  it('PATCH commits, returns the new version, and invalidates the cached copy', async () => {
    const before = await readProfile(app.url, 8);
    await readProfile(app.url, 8);
    const reply = await patchProfile(app.url, 8, { headline: 'Cache placement researcher' });
    replies.push(reply);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toEqual({ id: 8, version: before.version + 1 });
    expect(Number(reply.headers.get('x-profile-version'))).toBe(before.version + 1);
    const after = await readProfile(app.url, 8);
    expect([after.cache, after.version]).toEqual(['MISS', before.version + 1]);
    expect(JSON.parse(after.text)).toMatchObject({ headline: 'Cache placement researcher' });
  });
});

describe('bad input never gives a 5xx', () => {
  const badIds = ['0', '-1', 'abc', '1.5', '99999999999999999999', '1e3', '01', '%20'];

  it.each(badIds)('GET and PATCH /profiles/%s → 400 INVALID_ID', async (id) => {
    expectError(await hit(`/profiles/${id}`), 400, 'INVALID_ID');
    const body = JSON.stringify({ headline: 'x' });
    const init = { method: 'PATCH', headers: { 'content-type': 'application/json' }, body };
    expectError(await hit(`/profiles/${id}`, init), 400, 'INVALID_ID');
  });

  it('unknown id → 404 PROFILE_NOT_FOUND for GET and PATCH', async () => {
    expectError(await hit(`/profiles/${MISSING_ID}`), 404, 'PROFILE_NOT_FOUND');
    const reply = await patchProfile(app.url, MISSING_ID, { headline: 'nobody' });
    replies.push(reply);
    expectError(reply, 404, 'PROFILE_NOT_FOUND');
  });

  it('PATCH with malformed JSON → 400 INVALID_JSON', async () => {
    const headers = { 'content-type': 'application/json' };
    for (const body of ['{"headline":', '{headline: 1}', 'nul']) {
      expectError(
        await hit('/profiles/3', { method: 'PATCH', headers, body }),
        400,
        'INVALID_JSON',
      );
    }
  });

  it('PATCH with unknown fields, wrong types or over-long strings → 400 INVALID_BODY', async () => {
    const bodies: unknown[] = [
      { nickname: 'x' },
      { headline: 42 },
      { headline: 'x'.repeat(5_000) },
      ['headline'],
      'headline',
      {},
    ];
    for (const body of bodies) {
      const reply = await patchProfile(app.url, 3, body);
      replies.push(reply);
      expectError(reply, 400, 'INVALID_BODY');
    }
  });

  it('PATCH with a body that is not JSON → 415', async () => {
    const text = { method: 'PATCH', headers: { 'content-type': 'text/plain' }, body: '{}' };
    expectError(await hit('/profiles/3', text), 415, 'UNSUPPORTED_MEDIA_TYPE');
    const form = { method: 'PATCH', body: new URLSearchParams({ headline: 'x' }) };
    expectError(await hit('/profiles/3', form), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('PATCH over 16 KiB → 413 PAYLOAD_TOO_LARGE, with or without Content-Length', async () => {
    const body = JSON.stringify({ headline: 'x'.repeat(17 * 1024) });
    const headers = { 'content-type': 'application/json' };
    expectError(
      await hit('/profiles/3', { method: 'PATCH', headers, body }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    const stream = new Blob([body]).stream();
    const chunked = { method: 'PATCH', headers, body: stream, duplex: 'half' } as RequestInit;
    expectError(await hit('/profiles/3', chunked), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('unknown routes → 404 ROUTE_NOT_FOUND', async () => {
    for (const path of ['/', '/profiles', '/profiles/1/extra', '/nope', '/healthz/x']) {
      expectError(await hit(path), 404, 'ROUTE_NOT_FOUND');
    }
    expectError(await hit('/nope', { method: 'POST' }), 404, 'ROUTE_NOT_FOUND');
  });

  it('wrong method on a known route → 405 with Allow', async () => {
    const cases: Array<[string, string, string]> = [
      ['DELETE', '/profiles/1', 'GET, HEAD, PATCH'],
      ['PUT', '/profiles/1', 'GET, HEAD, PATCH'],
      ['POST', '/healthz', 'GET, HEAD'],
      ['DELETE', '/readyz', 'GET, HEAD'],
      ['POST', '/metrics', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const reply = await hit(path, { method });
      expectError(reply, 405, 'METHOD_NOT_ALLOWED');
      expect(reply.headers.get('allow')).toBe(allow);
    }
  });

  it('a path that cannot be decoded → 400 JSON, not an HTML page', async () => {
    expectError(await hit('/profiles/%E0%A4%A'), 400, 'BAD_REQUEST');
  });

  it('a request Node cannot parse → 400 JSON with X-Served-By', async () => {
    const raw = await rawRequest(
      app.port,
      'GET /profiles/1 HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
    );
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toContain('X-Served-By: app-http');
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it('every response carried X-Served-By', () => {
    expect(replies.length).toBeGreaterThan(40);
    const servedBy = new Set(replies.map((reply) => reply.headers.get('x-served-by')));
    expect([...servedBy]).toEqual(['app-http']);
  });
});

describe('health and metrics', () => {
  it('/healthz is alive and /readyz reports both checks', async () => {
    expect((await hit('/healthz')).status).toBe(200);
    const ready = await hit('/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({
      status: 'ready',
      checks: { database: 'ok', cache: 'ok' },
    });
  });

  it('/metrics exposes the contract names with topology/server labels and no key or id label', async () => {
    const reply = await hit('/metrics');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'cachelab_http_request_duration_seconds_bucket',
      'cachelab_cache_operations_total',
      'cachelab_cache_operation_duration_seconds_bucket',
      'cachelab_db_query_duration_seconds_bucket',
      'cachelab_l1_entries',
      'cachelab_l1_bytes',
      'cachelab_profile_reads_total',
      'cachelab_process_cpu_seconds_total',
    ]) {
      expect(reply.text).toMatch(new RegExp(`^${name}\\{[^}]*topology="test"[^}]*\\}`, 'm'));
    }
    expect(reply.text).toMatch(/^# TYPE cachelab_cache_evictions_total counter$/m);
    expect(reply.text).toMatch(/^# TYPE cachelab_invalidations_total counter$/m);
    expect(reply.text).toMatch(/^# TYPE cachelab_cache_errors_total counter$/m);
    expect(reply.text).toMatch(/server="app-http"/);
    expect(reply.text).toMatch(/route="profile_get",method="GET",status="200",cache="MISS"/);
    expect(reply.text).not.toMatch(/\b(key|id|profile_id|path|url)="/);
  });
});
