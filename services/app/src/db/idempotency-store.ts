import type pg from 'pg';
import { AppError } from '../errors.ts';

/** Most expired keys one write deletes: the sweep keeps pace with one new key per write. */
export const SWEEP_BATCH = 100;

/** A keyed write's claim on its key, taken inside the write's transaction. */
export interface KeyClaim {
  key: string;
  /** sha256 of the method, target and body (patchFingerprint). */
  fingerprint: string;
}

/** The response recorded for a key whose write committed. */
export interface RecordedResponse {
  status: number;
  body: string;
}

/** What a key already holds: the request it was used for and its response. */
export interface KeyRecord {
  fingerprint: string;
  response: RecordedResponse | undefined;
}

// A concurrent transaction holding the same key makes this INSERT wait for its commit or rollback,
// so a repeat never runs beside its original: it then finds the committed row, or claims the key.
const CLAIM_SQL = `INSERT INTO idempotency_keys (idem_key, fingerprint) VALUES ($1, $2)
ON CONFLICT (idem_key) DO NOTHING RETURNING 1`;
const LOOKUP_SQL = 'SELECT fingerprint, status, body FROM idempotency_keys WHERE idem_key = $1';
// The response, and a bounded sweep of expired keys; SKIP LOCKED so concurrent writes never queue
// on each other's sweep.
const COMPLETE_SQL = `WITH recorded AS (
  UPDATE idempotency_keys SET status = $2, body = $3 WHERE idem_key = $1
), expired AS (
  SELECT idem_key FROM idempotency_keys
  WHERE created_at < now() - $4::double precision * interval '1 millisecond'
  ORDER BY created_at LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED
)
DELETE FROM idempotency_keys WHERE idem_key IN (SELECT idem_key FROM expired)`;

/**
 * Claims `claim.key` in the transaction on `tx`: undefined when this transaction now owns it (the
 * write goes ahead), or the record the key already holds (the write must not run again).
 */
export async function claimKey(
  tx: pg.ClientBase,
  claim: KeyClaim,
  attempt = 0,
): Promise<KeyRecord | undefined> {
  const inserted = await tx.query({
    name: 'idempotency_claim',
    text: CLAIM_SQL,
    values: [claim.key, claim.fingerprint],
  });
  if (inserted.rowCount === 1) return undefined;
  const found = await tx.query<{ fingerprint: string; status: number | null; body: string | null }>(
    { name: 'idempotency_lookup', text: LOOKUP_SQL, values: [claim.key] },
  );
  const row = found.rows[0];
  // Swept between the two statements (it had expired): the key is free, claim it again.
  if (row === undefined && attempt === 0) return claimKey(tx, claim, 1);
  if (row === undefined) throw new AppError('INTERNAL', 'idempotency key claim found no row twice');
  const response =
    row.status === null || row.body === null ? undefined : { status: row.status, body: row.body };
  return { fingerprint: row.fingerprint, response };
}

/** Records the response of the claimed key's write, and deletes a batch of keys older than retention. */
export async function completeKey(
  tx: pg.ClientBase,
  key: string,
  response: RecordedResponse,
  retentionMs: number,
): Promise<void> {
  await tx.query({
    name: 'idempotency_complete',
    text: COMPLETE_SQL,
    values: [key, response.status, response.body, retentionMs],
  });
}
