import type pg from 'pg';

/** One pending invalidation: the newest version per key of the rows claimed together. */
export interface Invalidation {
  key: string;
  version: number;
}

/** Rows marked done by a commit, and the seconds from each one's commit to its claim. */
export interface DoneRows {
  rows: number;
  ages: number[];
}

/**
 * A batch claimed inside an open transaction: apply it, then commit, which marks done the rows of the
 * keys applied; the others stay pending. Killed before the commit, the claim rolls back.
 */
export interface ClaimedBatch {
  invalidations: Invalidation[];
  /** The highest row id claimed: the next batch of the same pass starts after it. */
  lastId: string;
  commit(appliedKeys: ReadonlySet<string>): Promise<DoneRows>;
}

const CLAIM_SQL = `SELECT id, cache_key, version,
  extract(epoch FROM clock_timestamp() - created_at)::float8 AS age
FROM cache_invalidations WHERE done_at IS NULL AND id > $2::bigint
ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`;
const DONE_SQL = `UPDATE cache_invalidations SET done_at = clock_timestamp(), attempts = attempts + 1
WHERE id = ANY($1::bigint[])`;
const LAG_SQL = `SELECT count(*)::int AS pending,
  COALESCE(extract(epoch FROM clock_timestamp() - min(created_at)), 0)::float8 AS lag
FROM cache_invalidations WHERE done_at IS NULL`;
const RECENT_SQL = `SELECT DISTINCT ON (cache_key) cache_key, version FROM cache_invalidations
WHERE done_at >= clock_timestamp() - make_interval(secs => $1::float8 / 1000)
ORDER BY cache_key, version DESC`;
const PRUNE_SQL = `DELETE FROM cache_invalidations
WHERE done_at < clock_timestamp() - make_interval(secs => $1::float8 / 1000)`;

/**
 * Claims up to `limit` pending rows after row `afterId` (FOR UPDATE SKIP LOCKED, so a second
 * invalidator takes others) in a transaction that stays open until the caller commits. Undefined
 * when none.
 */
export async function claimBatch(
  pool: pg.Pool,
  limit: number,
  afterId = '0',
): Promise<ClaimedBatch | undefined> {
  const client = await pool.connect();
  let released = false;
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    client.release(error);
  };
  try {
    await client.query('BEGIN');
    const result = await client.query<{
      id: string;
      cache_key: string;
      version: string;
      age: number;
    }>(CLAIM_SQL, [limit, afterId]);
    if (result.rows.length === 0) {
      await client.query('COMMIT');
      release();
      return undefined;
    }
    const rows = result.rows;
    return {
      invalidations: newestPerKey(rows),
      lastId: rows.at(-1)?.id ?? afterId,
      async commit(appliedKeys) {
        const done = rows.filter((row) => appliedKeys.has(row.cache_key));
        try {
          if (done.length > 0) await client.query(DONE_SQL, [done.map((row) => row.id)]);
          await client.query('COMMIT');
          release();
          return { rows: done.length, ages: done.map((row) => row.age) };
        } catch (error) {
          release(error instanceof Error ? error : new Error(String(error)));
          throw error;
        }
      },
    };
  } catch (error) {
    release(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

function newestPerKey(rows: { cache_key: string; version: string }[]): Invalidation[] {
  const newest = new Map<string, number>();
  for (const row of rows) {
    newest.set(row.cache_key, Math.max(newest.get(row.cache_key) ?? 0, Number(row.version)));
  }
  return [...newest].map(([key, version]) => ({ key, version }));
}

/** Pending rows and the age of the oldest, in seconds. */
export async function queueLag(pool: pg.Pool): Promise<{ pending: number; lagSeconds: number }> {
  const result = await pool.query<{ pending: number; lag: number }>(LAG_SQL);
  const row = result.rows[0];
  return { pending: row?.pending ?? 0, lagSeconds: row?.lag ?? 0 };
}

/** The newest version per key of the rows applied in the last `windowMs`. */
export async function recentlyApplied(pool: pg.Pool, windowMs: number): Promise<Invalidation[]> {
  const result = await pool.query<{ cache_key: string; version: string }>(RECENT_SQL, [windowMs]);
  return result.rows.map((row) => ({ key: row.cache_key, version: Number(row.version) }));
}

/** Deletes rows applied more than `retentionMs` ago; returns how many. */
export async function pruneApplied(pool: pg.Pool, retentionMs: number): Promise<number> {
  const result = await pool.query(PRUNE_SQL, [retentionMs]);
  return result.rowCount ?? 0;
}
