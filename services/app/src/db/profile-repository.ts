import type pg from 'pg';
import { AppError } from '../errors.ts';
import { toDatabaseError } from './db-errors.ts';
import {
  claimKey,
  completeKey,
  type KeyClaim,
  type RecordedResponse,
} from './idempotency-store.ts';
import type { ProfilePatch } from './profile-patch.ts';
import { applyProfilePatch } from './profile-update.ts';
import { withTransaction } from './transaction.ts';

/** The repository's operations, as metric label values (bounded). */
export type ProfileQueryName = 'profile_aggregate' | 'profile_update' | 'ping' | 'audit_versions';

/** Work run inside a profile update's transaction once the new version is known (the outbox). */
export type InTransaction = (client: pg.ClientBase, version: number) => Promise<void>;

/** A keyed update: the key's claim, the response to record for it, and how long keys are kept. */
export interface UpdateOnce {
  claim: KeyClaim;
  respond: (version: number) => RecordedResponse;
  retentionMs: number;
}

/**
 * What a keyed update did: applied it, found the key already used by this same request (its
 * recorded response), found it used by another request, or found no such member (nothing kept).
 */
export type KeyedUpdate =
  | { kind: 'applied'; version: number }
  | { kind: 'replayed'; response: RecordedResponse }
  | { kind: 'reused' }
  | { kind: 'not-found' };

/** A member's current version and when it was written, for the staleness audit. */
export interface VersionRow {
  version: number;
  updatedAtMs: number;
}

/** Timing hook around each operation; the app's metrics module (DbObserver) implements it. */
export interface ProfileRepositoryObserver {
  query(name: ProfileQueryName, result: 'ok' | 'error', seconds: number): void;
}

const NO_OBSERVER: ProfileRepositoryObserver = { query() {} };

/** Reads and writes profiles; every failure is an AppError (DATABASE_UNAVAILABLE or INTERNAL) with `cause`. */
export interface ProfileRepository {
  /** The profile as the exact JSON bytes Postgres built, or undefined when no such member exists. */
  loadProfileJson(id: number): Promise<Buffer | undefined>;
  /**
   * Applies the patch in one transaction, bumping `version`, then runs `inTransaction` in the same
   * transaction; undefined when no such member exists.
   */
  updateProfile(
    id: number,
    patch: ProfilePatch,
    inTransaction?: InTransaction,
  ): Promise<{ version: number } | undefined>;
  /**
   * updateProfile under an idempotency key: the key is claimed, the update and `inTransaction`
   * applied, and the response recorded, all in one transaction; a key already held is not applied.
   */
  updateProfileOnce(
    id: number,
    patch: ProfilePatch,
    once: UpdateOnce,
    inTransaction?: InTransaction,
  ): Promise<KeyedUpdate>;
  /** Current versions of the given members (absent ids are left out). */
  loadVersions(ids: number[]): Promise<Map<number, VersionRow>>;
  /** Throws when the database cannot answer SELECT 1. */
  ping(): Promise<void>;
}

/**
 * The aggregate (services/postgres/schema/90-profile.sql) reads users + every user_* table in one query.
 * ::text so the driver hands over the document as Postgres rendered it: no JSON parse or re-serialise.
 */
const AGGREGATE_SQL = 'SELECT cachelab_profile_json($1)::text AS doc';
const VERSIONS_SQL = `SELECT id, version, (extract(epoch FROM updated_at) * 1000)::float8 AS updated_ms
FROM users WHERE id = ANY($1::bigint[])`;

/** Rolls a keyed update of a missing member back, so its key stays free. */
class MemberNotFound extends Error {}

/** The keyed update's transaction body (see ProfileRepository.updateProfileOnce). */
async function applyOnce(
  client: pg.ClientBase,
  id: number,
  patch: ProfilePatch,
  once: UpdateOnce,
  inTransaction: InTransaction | undefined,
): Promise<KeyedUpdate> {
  const held = await claimKey(client, once.claim);
  if (held !== undefined) {
    if (held.fingerprint !== once.claim.fingerprint) return { kind: 'reused' };
    if (held.response === undefined) {
      throw new AppError('INTERNAL', 'idempotency key committed without a response');
    }
    return { kind: 'replayed', response: held.response };
  }
  const updated = await applyProfilePatch(client, id, patch);
  if (updated === undefined) throw new MemberNotFound();
  await inTransaction?.(client, updated.version);
  await completeKey(client, once.claim.key, once.respond(updated.version), once.retentionMs);
  return { kind: 'applied', version: updated.version };
}

function assertId(id: number): void {
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new AppError('INVALID_ID', `profile id must be a positive integer, got ${String(id)}`);
  }
}

/** Runs one operation, reports its duration and outcome, and wraps any failure as an AppError. */
async function timed<T>(
  observer: ProfileRepositoryObserver,
  name: ProfileQueryName,
  operation: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  let ok = false;
  try {
    const result = await operation();
    ok = true;
    return result;
  } catch (error) {
    throw toDatabaseError(error, name);
  } finally {
    const seconds = (performance.now() - started) / 1000;
    observer.query(name, ok ? 'ok' : 'error', seconds);
  }
}

/** Creates the repository over `pool`; `observer` receives the duration and outcome of each operation. */
export function createProfileRepository(
  pool: pg.Pool,
  observer: ProfileRepositoryObserver = NO_OBSERVER,
): ProfileRepository {
  return {
    async loadProfileJson(id) {
      assertId(id);
      return timed(observer, 'profile_aggregate', async () => {
        // A named statement is parsed once per connection and then only bound and executed.
        const query = { name: 'profile_aggregate', text: AGGREGATE_SQL, values: [id] };
        const result = await pool.query<{ doc: string | null }>(query);
        const doc = result.rows[0]?.doc;
        return doc == null ? undefined : Buffer.from(doc, 'utf8');
      });
    },
    async updateProfile(id, patch, inTransaction) {
      assertId(id);
      return timed(observer, 'profile_update', () =>
        withTransaction(pool, async (client) => {
          const updated = await applyProfilePatch(client, id, patch);
          if (updated !== undefined) await inTransaction?.(client, updated.version);
          return updated;
        }),
      );
    },
    async updateProfileOnce(id, patch, once, inTransaction) {
      assertId(id);
      return timed(observer, 'profile_update', async () => {
        try {
          return await withTransaction(pool, (client) =>
            applyOnce(client, id, patch, once, inTransaction),
          );
        } catch (error) {
          if (error instanceof MemberNotFound) return { kind: 'not-found' } as const;
          throw error;
        }
      });
    },
    async loadVersions(ids) {
      ids.forEach(assertId);
      return timed(observer, 'audit_versions', async () => {
        const result = await pool.query<{ id: string; version: string; updated_ms: number }>(
          VERSIONS_SQL,
          [ids],
        );
        const rows = result.rows.map((row): [number, VersionRow] => [
          Number(row.id),
          { version: Number(row.version), updatedAtMs: row.updated_ms },
        ]);
        return new Map(rows);
      });
    },
    async ping() {
      await timed(observer, 'ping', () => pool.query('SELECT 1'));
    },
  };
}
