import pg from 'pg';
import { ScrapeError } from './scrape-error.ts';

/** Cumulative Postgres figures of the lab's database. */
export interface PostgresCounters {
  xactCommit: number;
  tupReturned: number;
  blksHit: number;
  blksRead: number;
  /** pg_stat_statements calls of the profile aggregate (null when the extension is missing). */
  aggregateCalls: number | null;
  /** pg_stat_statements total execution time of the aggregate, ms. */
  aggregateTotalMs: number | null;
}

const DATABASE_SQL = `SELECT xact_commit, tup_returned, blks_hit, blks_read
  FROM pg_stat_database WHERE datname = current_database()`;

// The aggregate is `SELECT cachelab_profile_json($1)::text AS doc`; the scrape's own text is excluded.
const STATEMENTS_SQL = `SELECT coalesce(sum(calls), 0)::float8 AS calls,
    coalesce(sum(total_exec_time), 0)::float8 AS total_ms
  FROM pg_stat_statements
  WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND query LIKE '%cachelab_profile_json%' AND query NOT LIKE '%pg_stat_statements%'`;

const num = (value: unknown): number => Number(value ?? 0);

/** A connection kept open for the scrapes around one measured window (a new one per scrape would
 * shift the Postgres side of the window by its connect time). */
export interface PostgresScraper {
  read(): Promise<PostgresCounters>;
  close(): Promise<void>;
}

async function hasStatements(client: pg.Client): Promise<boolean> {
  const sql = `SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'`;
  return ((await client.query(sql)).rowCount ?? 0) > 0;
}

async function readCounters(client: pg.Client, statements: boolean): Promise<PostgresCounters> {
  const [dbResult, stResult] = await Promise.all([
    client.query(DATABASE_SQL),
    statements ? client.query(STATEMENTS_SQL) : undefined,
  ]);
  const db = dbResult.rows[0] as Record<string, unknown> | undefined;
  if (!db) throw new Error('pg_stat_database has no row for the current database');
  const st = stResult?.rows[0] as Record<string, unknown> | undefined;
  return {
    xactCommit: num(db.xact_commit),
    tupReturned: num(db.tup_returned),
    blksHit: num(db.blks_hit),
    blksRead: num(db.blks_read),
    aggregateCalls: st ? num(st.calls) : null,
    aggregateTotalMs: st ? num(st.total_ms) : null,
  };
}

/** Connects to `url` (a superuser sees every user's statements); ScrapeError when it cannot. */
export async function openPostgresScraper(url: string): Promise<PostgresScraper> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  let statements: boolean;
  try {
    await client.connect();
    statements = await hasStatements(client);
  } catch (error) {
    const closeError = await client.end().then(
      () => undefined,
      (e: unknown) => e,
    );
    const cause = closeError ? new AggregateError([error, closeError], String(error)) : error;
    throw new ScrapeError('postgres', 'could not connect to read Postgres statistics', cause);
  }
  return {
    read: () =>
      readCounters(client, statements).catch((error: unknown) => {
        throw new ScrapeError('postgres', 'could not read Postgres statistics', error);
      }),
    close: () => client.end(),
  };
}

const minus = (a: number | null, b: number | null): number | null =>
  a === null || b === null ? null : a - b;

/** What happened between two scrapes. */
export function subtractPostgresCounters(
  after: PostgresCounters,
  before: PostgresCounters,
): PostgresCounters {
  return {
    xactCommit: after.xactCommit - before.xactCommit,
    tupReturned: after.tupReturned - before.tupReturned,
    blksHit: after.blksHit - before.blksHit,
    blksRead: after.blksRead - before.blksRead,
    aggregateCalls: minus(after.aggregateCalls, before.aggregateCalls),
    aggregateTotalMs: minus(after.aggregateTotalMs, before.aggregateTotalMs),
  };
}

/** Server version of the Postgres at `url`, e.g. "15.14". */
export async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const row = (await client.query('SHOW server_version')).rows[0] as Record<string, unknown>;
    return String(row.server_version ?? 'unknown').split(' ')[0] ?? 'unknown';
  } finally {
    await client.end();
  }
}
