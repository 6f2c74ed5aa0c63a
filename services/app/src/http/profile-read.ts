import type { ServerResponse } from 'node:http';
import type { AppDeps } from '../app-deps.ts';
import { profileKey } from '../cache/keys.ts';
import { readProfileVersion } from '../cache/profile-version.ts';
import type { ReadResult } from '../consistency/read-through.ts';
import { AppError } from '../errors.ts';
import { JSON_CONTENT_TYPE } from './error-mapping.ts';
import { formatServerTiming } from './server-timing.ts';

/** What reading a profile needs from the app's dependencies. */
export type ProfileReadDeps = Pick<AppDeps, 'readThrough' | 'repository' | 'metrics' | 'audit'>;

/** The one read path of `GET /profiles/:id` (Express route and fast path): cache, else database; counted. */
export async function readProfile(deps: ProfileReadDeps, id: number): Promise<ReadResult> {
  const load = () => deps.repository.loadProfileJson(id);
  const outcome = await deps.readThrough.read(profileKey(id), load);
  deps.metrics.countProfileRead(outcome.result);
  deps.audit?.noteRead(id);
  return outcome;
}

/**
 * Sets the headers of a profile read on either path and returns the body to send: X-Cache and
 * Server-Timing always (a 404 carries them too), X-Profile-Version and Content-Type with a body.
 * Throws PROFILE_NOT_FOUND when the read found nothing.
 */
export function applyProfileRead(res: ServerResponse, id: number, outcome: ReadResult): Buffer {
  res.setHeader('X-Cache', outcome.result);
  // RFC 9111 Age, in whole seconds, on a grace (stale-if-error) answer.
  if (outcome.ageMs !== undefined) res.setHeader('Age', String(Math.floor(outcome.ageMs / 1000)));
  res.setHeader('Server-Timing', formatServerTiming(outcome));
  if (!outcome.body) throw new AppError('PROFILE_NOT_FOUND', `profile ${id} not found`);
  const version = readProfileVersion(outcome.body);
  if (version !== undefined) res.setHeader('X-Profile-Version', String(version));
  res.setHeader('Content-Type', JSON_CONTENT_TYPE);
  return outcome.body;
}
