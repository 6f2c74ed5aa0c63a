import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../lab/run/processes/ports.ts';
import { type PostgresHandle, startPostgres } from '../lab/run/processes/postgres.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import { loadConfig } from '../services/app/src/config.ts';
import { createPool } from '../services/app/src/db/pool.ts';
import {
  createProfileRepository,
  type ProfileQueryName,
  type ProfileRepository,
} from '../services/app/src/db/profile-repository.ts';
import { applySchema, countUsers, seedUsers } from '../services/app/src/db/setup.ts';

const SEEDED = 120;
const GROWN = 160;
const UNKNOWN_ID = 1_000_000;
/** Upper bound for a failure to surface: connect timeout (1 s) plus generous slack. */
const FAIL_FAST_MS = 8_000;

let runDir: string;
let primary: PostgresHandle;
let twin: PostgresHandle;
const pools: pg.Pool[] = [];
const calls: { name: ProfileQueryName; ok: boolean }[] = [];

function repositoryFor(url: string, poolSize = 8) {
  const env = { DATABASE_URL: url, DB_POOL_SIZE: String(poolSize), DB_CONNECT_TIMEOUT_MS: '1000' };
  const pool = createPool(loadConfig({ ...env, LOG_LEVEL: 'silent' }));
  pools.push(pool);
  return createProfileRepository(pool, {
    query: (name, result) => calls.push({ name, ok: result === 'ok' }),
  });
}

async function sql<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The `name` column of a query's rows. */
async function names(url: string, text: string): Promise<string[]> {
  return (await sql<{ name: string }>(url, text)).map((row) => row.name);
}

function userTables(url: string): Promise<string[]> {
  return names(
    url,
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_name LIKE 'user\\_%' ORDER BY 1`,
  );
}

/** Every index and constraint definition of the public schema, by name. */
async function catalog(url: string): Promise<string[]> {
  return names(
    url,
    `SELECT indexname || ': ' || indexdef AS name FROM pg_indexes WHERE schemaname = 'public'
     UNION ALL
     SELECT conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint
     WHERE connamespace = 'public'::regnamespace
     ORDER BY 1`,
  );
}

/** One digest of every profile document 1..upTo, and one of the raw rows of every table. */
async function digests(url: string, upTo: number): Promise<{ documents: string; rows: string }> {
  const [docs] = await sql<{ md5: string }>(
    url,
    `SELECT md5(string_agg(cachelab_profile_json(id)::text, '|' ORDER BY id))
     FROM generate_series(1, $1::bigint) id`,
    [upTo],
  );
  const tables = ['users', ...(await userTables(url))];
  const parts = tables.map(
    (t) => `(SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM ${t} x)`,
  );
  const [rows] = await sql<{ md5: string }>(url, `SELECT md5(concat_ws('/', ${parts.join(', ')}))`);
  return { documents: docs?.md5 ?? '', rows: rows?.md5 ?? '' };
}

/** Rejects if `promise` has not settled within `ms`: "fails fast" must not turn into a hang. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

type Profile = Record<string, unknown> & { id: number; version: number };

type EditedProfile = Profile & {
  identity: { location: { label: string; city: string; is_current: boolean }[] };
  settings: { open_to_work: { enabled: boolean } };
};

async function loadDoc<T = Profile>(repo: ProfileRepository, id: number): Promise<T> {
  return JSON.parse((await repo.loadProfileJson(id))?.toString('utf8') ?? 'null') as T;
}

beforeAll(async () => {
  runDir = await makeRunDir('profile-store');
  [primary, twin] = await Promise.all([
    startPostgres({ runDir, name: 'primary' }),
    startPostgres({ runDir, name: 'twin' }),
  ]);
  await Promise.all([applySchema(primary.url), applySchema(twin.url)]);
  await seedUsers(primary.url, SEEDED);
});

afterAll(async () => {
  await Promise.allSettled(pools.map((pool) => pool.end()));
  await Promise.allSettled([primary?.stop(), twin?.stop()]);
  if (runDir) await removeRunDir(runDir);
});

describe('schema', () => {
  it('has at least 50 user_* tables, each referencing users and indexed by user_id', async () => {
    const tables = await userTables(primary.url);
    expect(tables.length).toBeGreaterThanOrEqual(50);
    const keyed = await names(
      primary.url,
      `SELECT DISTINCT conrelid::regclass::text AS name FROM pg_constraint
       WHERE contype = 'f' AND confrelid = 'users'::regclass ORDER BY 1`,
    );
    expect(keyed).toEqual(tables);
    const indexed = await names(
      primary.url,
      `SELECT DISTINCT i.indrelid::regclass::text AS name FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
       WHERE a.attname = 'user_id' ORDER BY 1`,
    );
    expect(indexed).toEqual(tables);
  });

  it('is left intact by a bulk seed (which drops and re-creates keys and indexes)', async () => {
    // primary is seeded; twin is still a bare schema at this point.
    expect(await catalog(primary.url)).toEqual(await catalog(twin.url));
  });

  it('can be applied again without change', async () => {
    const before = await catalog(primary.url);
    await applySchema(primary.url);
    expect(await catalog(primary.url)).toEqual(before);
  });
});

describe('seeding', () => {
  it('is deterministic: two fresh databases hold the same rows and documents', async () => {
    const result = await seedUsers(twin.url, SEEDED);
    expect(result).toMatchObject({ requested: SEEDED, added: SEEDED });
    expect(await digests(twin.url, SEEDED)).toEqual(await digests(primary.url, SEEDED));
  });

  it('fills every user_* table', async () => {
    const tables = await userTables(primary.url);
    const empty = tables.map((t) => `SELECT '${t}' AS name FROM ${t} HAVING count(*) = 0`);
    expect(await names(primary.url, empty.join(' UNION ALL '))).toEqual([]);
  });

  it('is idempotent, and a larger count adds only the missing members', async () => {
    const before = await digests(primary.url, SEEDED);
    expect((await seedUsers(primary.url, SEEDED)).added).toBe(0);
    expect(await digests(primary.url, SEEDED)).toEqual(before);
    expect((await seedUsers(primary.url, GROWN)).added).toBe(GROWN - SEEDED);
    expect(await countUsers(primary.url)).toBe(GROWN);
    expect((await digests(primary.url, SEEDED)).documents).toBe(before.documents);
    // Growing in two steps gives exactly what seeding GROWN at once gives.
    await seedUsers(twin.url, GROWN);
    expect(await digests(twin.url, GROWN)).toEqual(await digests(primary.url, GROWN));
  });
});

describe('profile repository', () => {
  it('returns one JSON document that reads every user_* table', async () => {
    const repo = repositoryFor(primary.url);
    const tables = await userTables(primary.url);
    for (const id of [2, 57, GROWN]) {
      const doc = await loadDoc(repo, id);
      expect(doc).toMatchObject({ id, version: 1 });
      const sections = Object.values(doc).filter(
        (value): value is Record<string, unknown> =>
          typeof value === 'object' && value !== null && !Array.isArray(value),
      );
      expect(sections.reduce((n, section) => n + Object.keys(section).length, 0)).toBe(
        tables.length,
      );
      for (const table of tables) {
        const key = table.replace(/^user_/, '');
        const holders = sections.filter((section) => key in section);
        expect(holders, `${table} has one key in the document`).toHaveLength(1);
        const [row] = await sql<{ n: string }>(
          primary.url,
          `SELECT count(*) AS n FROM ${table} WHERE user_id = $1`,
          [id],
        );
        const value = holders[0]?.[key];
        const shown = Array.isArray(value) ? value.length : value === null ? 0 : 1;
        expect(shown, `${table} rows of member ${id}`).toBe(Number(row?.n));
      }
    }
  });

  it('hands over the exact bytes Postgres rendered, id and version first', async () => {
    const repo = repositoryFor(primary.url);
    const bytes = await repo.loadProfileJson(33);
    const [row] = await sql<{ doc: string }>(
      primary.url,
      'SELECT cachelab_profile_json(33)::text AS doc',
    );
    expect(bytes?.equals(Buffer.from(row?.doc ?? '', 'utf8'))).toBe(true);
    expect(bytes?.toString('utf8')).toMatch(/^\{"id" : 33, "version" : 1, /);
  });

  it('returns undefined for an unknown id, on read and on update', async () => {
    const repo = repositoryFor(primary.url);
    expect(await repo.loadProfileJson(UNKNOWN_ID)).toBeUndefined();
    expect(await repo.updateProfile(UNKNOWN_ID, { headline: 'nobody' })).toBeUndefined();
  });

  it('bumps the version on update, and the next load shows the change', async () => {
    const repo = repositoryFor(primary.url);
    const before = await loadDoc(repo, 5);
    const patch = {
      headline: 'Principal Engineer at Kestrel Health',
      location: 'Accra, Ghana',
      about: 'Caches, mostly.',
      open_to_work: true,
    };
    const updated = await repo.updateProfile(5, patch);
    expect(updated).toEqual({ version: before.version + 1 });
    const after = await loadDoc<EditedProfile>(repo, 5);
    expect(after).toMatchObject({ version: before.version + 1, headline: patch.headline });
    expect(after).toMatchObject({ location: 'Accra, Ghana', about: 'Caches, mostly.' });
    const current = after.identity.location.filter((row) => row.is_current);
    expect(current).toEqual([expect.objectContaining({ label: 'Accra, Ghana', city: 'Accra' })]);
    expect(after.settings.open_to_work.enabled).toBe(true);
  });

  it('serialises concurrent updates of one member: every writer gets the next version', async () => {
    const repo = repositoryFor(primary.url);
    const start = (await loadDoc(repo, 9)).version;
    const writers = Array.from({ length: 25 }, (_, i) =>
      repo.updateProfile(9, { headline: `Writer ${i}` }),
    );
    const versions = (await Promise.all(writers)).map((result) => result?.version ?? 0);
    const expected = Array.from({ length: 25 }, (_, i) => start + i + 1);
    expect([...versions].sort((a, b) => a - b)).toEqual(expected);
    expect((await loadDoc(repo, 9)).version).toBe(start + 25);
  });

  it('reports each operation to the observer', async () => {
    const repo = repositoryFor(primary.url);
    calls.length = 0;
    await repo.ping();
    await repo.loadProfileJson(1);
    await repo.updateProfile(1, { open_to_work: false });
    expect(calls).toEqual([
      { name: 'ping', ok: true },
      { name: 'profile_aggregate', ok: true },
      { name: 'profile_update', ok: true },
    ]);
  });
});

describe('database failures', () => {
  it('a killed database gives DATABASE_UNAVAILABLE, not a hang', async () => {
    const repo = repositoryFor(twin.url, 2);
    expect(await repo.loadProfileJson(3)).toBeInstanceOf(Buffer);
    await twin.kill();
    const unavailable = { code: 'DATABASE_UNAVAILABLE' };
    await expect(within(FAIL_FAST_MS, repo.loadProfileJson(3))).rejects.toMatchObject(unavailable);
    const update = repo.updateProfile(3, { headline: 'x' });
    await expect(within(FAIL_FAST_MS, update)).rejects.toMatchObject(unavailable);
    await expect(within(FAIL_FAST_MS, repo.ping())).rejects.toMatchObject(unavailable);
    expect(calls.at(-1)).toEqual({ name: 'ping', ok: false });
  });

  it('a server that accepts but never answers times out as DATABASE_UNAVAILABLE', async () => {
    const port = await freePort();
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    try {
      const repo = repositoryFor(`postgres://cachelab:cachelab@127.0.0.1:${port}/cachelab`, 1);
      await expect(within(FAIL_FAST_MS, repo.loadProfileJson(1))).rejects.toMatchObject({
        code: 'DATABASE_UNAVAILABLE',
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
