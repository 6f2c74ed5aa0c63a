import type pg from 'pg';
import type { WriteRecord } from './consistency-types.ts';

/** Most keys a catch-up lists before it gives up and clears L1 instead. */
export const CATCH_UP_MAX_KEYS = 10_000;

const INSERT_SQL =
  'INSERT INTO cache_invalidations (cache_key, profile_id, version) VALUES ($1, $2, $3)';

const CATCH_UP_SQL = `SELECT DISTINCT cache_key FROM cache_invalidations
WHERE done_at IS NULL OR done_at >= to_timestamp($1::double precision / 1000)
LIMIT ${CATCH_UP_MAX_KEYS + 1}`;

/** Inserts the invalidation row of a write, inside the write's transaction (its trigger NOTIFYs). */
export async function recordInvalidation(tx: pg.ClientBase, write: WriteRecord): Promise<void> {
  await tx.query({
    name: 'outbox_insert',
    text: INSERT_SQL,
    values: [write.key, write.id, write.version],
  });
}

/**
 * Keys whose invalidation is pending or was applied since `sinceMs` (epoch ms, the database clock
 * is the same host's); undefined when there are more than CATCH_UP_MAX_KEYS.
 */
export async function invalidatedSince(
  pool: pg.Pool,
  sinceMs: number,
): Promise<string[] | undefined> {
  const result = await pool.query<{ cache_key: string }>(CATCH_UP_SQL, [sinceMs]);
  if (result.rows.length > CATCH_UP_MAX_KEYS) return undefined;
  return result.rows.map((row) => row.cache_key);
}
