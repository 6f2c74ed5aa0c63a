import { join } from 'node:path';
import pg from 'pg';
import { AppError } from '../errors.ts';
import { toDatabaseError } from './db-errors.ts';
import { loadSqlScript, POSTGRES_DIR } from './sql-script.ts';

/** What seedUsers did. */
export interface SeedResult {
  /** Members 1..requested now exist. */
  requested: number;
  /** How many of them this call inserted (0 when they all existed). */
  added: number;
  /** Wall time of the seed, in seconds. */
  seconds: number;
}

/** Upper bound of seedUsers: ids are int4 in the seed function. */
const MAX_SEED_USERS = 100_000_000;
const CONNECT_TIMEOUT_MS = 10_000;
const SEED_SQL = 'SELECT cachelab_seed($1) AS added';

async function withClient<T>(
  url: string,
  operation: string,
  work: (client: pg.Client) => Promise<T>,
) {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // Without a listener, a server dying mid-setup would be an uncaught 'error' event.
  client.on('error', () => {});
  try {
    await client.connect();
    // Setup statements are long by nature; notices ("already exists, skipping") are noise.
    await client.query('SET statement_timeout = 0; SET client_min_messages = warning');
    return await work(client);
  } catch (error) {
    throw toDatabaseError(error, operation);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs a psql script (with its `\ir` includes) in one transaction, serialised by an advisory lock. */
async function runScript(client: pg.Client, file: string, lockName: string): Promise<void> {
  const sql = loadSqlScript(join(POSTGRES_DIR, file));
  await client.query('BEGIN');
  try {
    // Two processes creating the same tables at once would collide in the catalog: the second waits.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockName]);
    await client.query(sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** Creates the schema (users, 50+ user_* tables, indexes, the profile aggregate function); idempotent. */
export async function applySchema(url: string): Promise<void> {
  await withClient(url, 'apply schema', (client) =>
    runScript(client, 'schema.sql', 'cachelab_schema'),
  );
}

/**
 * Ensures members 1..users exist, deterministically and idempotently (services/postgres/seed.sql): a
 * repeated call adds nothing, a larger `users` adds only the missing members. Needs applySchema first.
 */
export async function seedUsers(url: string, users: number): Promise<SeedResult> {
  if (!Number.isSafeInteger(users) || users < 0 || users > MAX_SEED_USERS) {
    const message = `seedUsers: users must be an integer in 0..${MAX_SEED_USERS}, got ${users}`;
    throw new AppError('CONFIG_INVALID', message);
  }
  return withClient(url, 'seed users', async (client) => {
    await runScript(client, 'seed.sql', 'cachelab_seed_functions');
    const started = performance.now();
    const result = await client.query<{ added: number }>(SEED_SQL, [users]);
    const seconds = (performance.now() - started) / 1000;
    return { requested: users, added: result.rows[0]?.added ?? 0, seconds };
  });
}

/** How many members the database holds. */
export async function countUsers(url: string): Promise<number> {
  return withClient(url, 'count users', async (client) => {
    const result = await client.query<{ count: string }>('SELECT count(*) AS count FROM users');
    return Number(result.rows[0]?.count ?? 0);
  });
}
