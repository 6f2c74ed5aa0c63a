import type { AppDeps } from '../app-deps.ts';
import { profileKey } from '../cache/keys.ts';
import type { RecordedResponse } from '../db/idempotency-store.ts';
import type { ProfilePatch } from '../db/profile-patch.ts';
import { patchFingerprint } from './idempotency-key.ts';

/** What writing a profile needs from the app's dependencies. */
export type ProfileWriteDeps = Pick<
  AppDeps,
  'repository' | 'readThrough' | 'consistency' | 'logger'
>;

/** A committed write: its version and where time went. */
export interface WriteResult {
  version: number;
  dbMs: number;
  cacheMs: number;
}

/**
 * The one write path of `PATCH /profiles/:id`: the update and the mode's rows (the outbox) in one
 * transaction, then the mode's invalidation. Undefined when the member does not exist.
 */
export async function writeProfile(
  deps: ProfileWriteDeps,
  id: number,
  patch: ProfilePatch,
): Promise<WriteResult | undefined> {
  const key = profileKey(id);
  const dbStarted = performance.now();
  const updated = await deps.repository.updateProfile(id, patch, (tx, version) =>
    deps.consistency.recordWrite(tx, { key, id, version }),
  );
  const dbMs = performance.now() - dbStarted;
  if (updated === undefined) return undefined;
  const cacheMs = await invalidateAfterWrite(deps, id, updated.version);
  return { version: updated.version, dbMs, cacheMs };
}

/** The body of a committed write's response (also what a replay of its key returns). */
export function writtenBody(id: number, version: number): string {
  return JSON.stringify({ id, version });
}

/** A keyed write: applied now, the recorded response of its first run, or a key reused elsewhere. */
export type KeyedWriteResult =
  | { kind: 'applied'; written: WriteResult }
  | { kind: 'replayed'; response: RecordedResponse }
  | { kind: 'reused' };

/** The Idempotency-Key of a write and how long keys are kept (IDEMPOTENCY_RETENTION_MS). */
export interface WriteKey {
  key: string;
  retentionMs: number;
}

/**
 * writeProfile under an Idempotency-Key: the key, the update and the mode's rows in one transaction,
 * then the invalidation, only when this call applied the write. Undefined when the member does not
 * exist (the key is then not kept).
 */
export async function writeProfileOnce(
  deps: ProfileWriteDeps,
  id: number,
  patch: ProfilePatch,
  { key, retentionMs }: WriteKey,
): Promise<KeyedWriteResult | undefined> {
  const cacheKey = profileKey(id);
  const once = {
    claim: { key, fingerprint: patchFingerprint(id, patch) },
    respond: (version: number) => ({ status: 200, body: writtenBody(id, version) }),
    retentionMs,
  };
  const dbStarted = performance.now();
  const outcome = await deps.repository.updateProfileOnce(id, patch, once, (tx, version) =>
    deps.consistency.recordWrite(tx, { key: cacheKey, id, version }),
  );
  const dbMs = performance.now() - dbStarted;
  if (outcome.kind === 'not-found') return undefined;
  if (outcome.kind !== 'applied') return outcome;
  const cacheMs = await invalidateAfterWrite(deps, id, outcome.version);
  return { kind: 'applied', written: { version: outcome.version, dbMs, cacheMs } };
}

/**
 * Invalidates after the commit, as the consistency mode says. A failure is logged and not turned into
 * an error response: the write is committed, and a 5xx would make clients retry it. Under `delete`
 * the stale entry then stays until its TTL; under `outbox` the invalidator applies the row later.
 */
async function invalidateAfterWrite(
  deps: ProfileWriteDeps,
  id: number,
  version: number,
): Promise<number> {
  const started = performance.now();
  try {
    await deps.readThrough.invalidate(profileKey(id), version);
  } catch (error) {
    deps.logger.error(
      { err: error, profileId: id, version },
      'cache invalidation after write failed',
    );
  }
  return performance.now() - started;
}
