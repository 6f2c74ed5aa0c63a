import type pg from 'pg';

/**
 * Runs `work` inside BEGIN … COMMIT on one pooled connection; ROLLBACK on any failure, then rethrows it.
 * A connection that failed (or whose rollback failed) is destroyed instead of going back to the pool.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let connectionError: Error | undefined;
  // A checked-out client has no pool listener: without ours, a dropped socket would be an uncaught 'error'.
  const onError = (error: Error): void => {
    connectionError = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    client.off('error', onError);
    client.release();
    return result;
  } catch (error) {
    const rollbackFailed = await rollback(client, connectionError);
    client.off('error', onError);
    client.release(rollbackFailed ?? connectionError);
    throw error;
  }
}

/** Rolls back; returns the rollback's own failure (the connection is then unusable), if any. */
async function rollback(
  client: pg.PoolClient,
  known: Error | undefined,
): Promise<Error | undefined> {
  if (known) return known;
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
