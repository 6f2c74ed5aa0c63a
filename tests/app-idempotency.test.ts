import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServerHandle } from '../lab/run/processes/app-server.ts';
import {
  type Backends,
  call,
  errorOf,
  MISSING_ID,
  pollUntil,
  type Reply,
  rawRequest,
  readProfile,
  startBackends,
} from './app-support.ts';

// Two app servers (global, CONSISTENCY=outbox) on real Postgres + Redis: a keyed PATCH is applied
// once however often it arrives, on whichever server; misuse of a key is a clear client error.
let backends: Backends;
let apps: [AppServerHandle, AppServerHandle];
let db: pg.Client;
const RETENTION_MS = 1_500;

beforeAll(async () => {
  backends = await startBackends({ prefix: 'cachelab-idempotency', redis: true });
  const env = {
    CACHE_MODE: 'global',
    CONSISTENCY: 'outbox',
    IDEMPOTENCY_RETENTION_MS: String(RETENTION_MS),
  };
  apps = [await backends.startApp('app-1', env), await backends.startApp('app-2', env)];
  db = new pg.Client({ connectionString: backends.pg.url });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await backends?.stop();
});

function keyedPatch(url: string, id: number, body: unknown, key: string): Promise<Reply> {
  return call(url, `/profiles/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
}

/** The member's version, its outbox rows and whether `key` is recorded, read from Postgres. */
async function stored(id: number, key: string) {
  const version = await db.query<{ version: string }>('SELECT version FROM users WHERE id = $1', [
    id,
  ]);
  const outbox = await db.query<{ n: string }>(
    'SELECT count(*) AS n FROM cache_invalidations WHERE profile_id = $1',
    [id],
  );
  const keys = await db.query<{ n: string }>(
    'SELECT count(*) AS n FROM idempotency_keys WHERE idem_key = $1',
    [key],
  );
  return {
    version: Number(version.rows[0]?.version),
    outboxRows: Number(outbox.rows[0]?.n),
    keyRows: Number(keys.rows[0]?.n),
  };
}

describe('Idempotency-Key on PATCH /profiles/:id', () => {
  it('replays the first response on any server and applies the write once', async () => {
    const key = '"8e03978e-40d5-43e8-bc93-6894a57f9324"';
    const before = await stored(11, '8e03978e-40d5-43e8-bc93-6894a57f9324');
    const first = await keyedPatch(apps[0].url, 11, { headline: 'Once only' }, key);
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(JSON.parse(first.text)).toEqual({ id: 11, version: before.version + 1 });
    for (const app of [apps[0], apps[1]]) {
      const again = await keyedPatch(app.url, 11, { headline: 'Once only' }, key);
      expect({ status: again.status, text: again.text }).toEqual({ status: 200, text: first.text });
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.headers.get('x-profile-version')).toBe(String(before.version + 1));
      expect(again.headers.get('content-type')).toBe('application/json; charset=utf-8');
    }
    expect(await stored(11, '8e03978e-40d5-43e8-bc93-6894a57f9324')).toEqual({
      version: before.version + 1,
      outboxRows: before.outboxRows + 1,
      keyRows: 1,
    });
    const read = await readProfile(apps[1].url, 11);
    expect([read.version, JSON.parse(read.text).headline]).toEqual([
      before.version + 1,
      'Once only',
    ]);
  });

  it('applies concurrent repeats of one key once, each answered with the same response', async () => {
    const before = await stored(12, 'concurrent-key');
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        keyedPatch(apps[i % 2 === 0 ? 0 : 1].url, 12, { headline: 'Raced' }, 'concurrent-key'),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(replies.map((r) => r.text))).toEqual(
      new Set([JSON.stringify({ id: 12, version: before.version + 1 })]),
    );
    expect(replies.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(5);
    expect(await stored(12, 'concurrent-key')).toMatchObject({
      version: before.version + 1,
      outboxRows: before.outboxRows + 1,
    });
  });

  it('refuses the key reused for another body or another profile with 422, writing nothing', async () => {
    expect((await keyedPatch(apps[0].url, 13, { headline: 'First' }, 'reused-key')).status).toBe(
      200,
    );
    const before13 = await stored(13, 'reused-key');
    const before14 = await stored(14, 'reused-key');
    for (const [id, body] of [
      [13, { headline: 'Second' }],
      [14, { headline: 'First' }],
    ] as const) {
      const reply = await keyedPatch(apps[1].url, id, body, 'reused-key');
      expect({ status: reply.status, code: errorOf(reply).code }).toEqual({
        status: 422,
        code: 'IDEMPOTENCY_KEY_REUSED',
      });
      expect(errorOf(reply).message).toMatch(/different request/);
      expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    }
    expect(await stored(13, 'reused-key')).toEqual(before13);
    expect(await stored(14, 'reused-key')).toEqual(before14);
  });

  it('rejects an empty, too long or non-ASCII key with 400, writing nothing', async () => {
    const before = await stored(15, 'x');
    for (const key of ['""', 'k'.repeat(256), '"  "x']) {
      const reply = await keyedPatch(apps[0].url, 15, { headline: 'Never' }, key);
      expect({ key, status: reply.status, code: errorOf(reply).code }).toEqual({
        key,
        status: 400,
        code: 'INVALID_IDEMPOTENCY_KEY',
      });
    }
    const body = JSON.stringify({ headline: 'Never' });
    const raw = await rawRequest(
      apps[0].port,
      `PATCH /profiles/15 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nIdempotency-Key: cl\xe9\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toContain('"code":"INVALID_IDEMPOTENCY_KEY"');
    expect(raw).toContain('printable ASCII');
    expect(await stored(15, 'x')).toEqual(before);
  });

  it('keeps no key for a missing member: a repeat is answered 404 again', async () => {
    for (let i = 0; i < 2; i++) {
      const reply = await keyedPatch(apps[0].url, MISSING_ID, { headline: 'x' }, 'missing-key');
      expect({ status: reply.status, code: errorOf(reply).code }).toEqual({
        status: 404,
        code: 'PROFILE_NOT_FOUND',
      });
    }
    expect((await stored(MISSING_ID, 'missing-key')).keyRows).toBe(0);
  });

  it('deletes keys past IDEMPOTENCY_RETENTION_MS on later writes; the key is then new again', async () => {
    expect((await keyedPatch(apps[0].url, 16, { headline: 'Old' }, 'old-key')).status).toBe(200);
    const before = await stored(16, 'old-key');
    expect(before.keyRows).toBe(1);
    let n = 0;
    await pollUntil(
      'the expired key to be swept by a later write',
      async () => {
        n++;
        await keyedPatch(apps[1].url, 17, { headline: `Sweeper ${n}` }, `sweeper-${n}`);
        return (await stored(16, 'old-key')).keyRows === 0 ? true : undefined;
      },
      { timeoutMs: RETENTION_MS + 5_000, intervalMs: 200 },
    );
    const reply = await keyedPatch(apps[0].url, 16, { headline: 'Old' }, 'old-key');
    expect(reply.headers.get('idempotent-replayed')).toBeNull();
    expect(JSON.parse(reply.text)).toEqual({ id: 16, version: before.version + 1 });
  });
});
