import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AppDeps } from '../app-deps.ts';
import type { CacheLabel } from '../metrics.ts';
import { reportRequestError } from './error-handler.ts';
import { sendErrorResponse } from './error-mapping.ts';
import { applyProfileRead, readProfile } from './profile-read.ts';
import { type ResponseContext, trackResponse } from './request-timing.ts';

/** The canonical profile path only: the same digits rule as parseProfileId, no query string, no slash. */
const FAST_PROFILE_PATH = /^\/profiles\/([1-9][0-9]{0,9})$/;

/**
 * The id of a request the fast path answers, or undefined to leave it to Express: GET only, the
 * canonical path, id ≤ maxId, and no If-None-Match (Express answers `If-None-Match: *` with 304).
 * Everything the fast path declines — HEAD, other methods, bad ids, query strings — Express handles.
 */
export function fastProfileId(req: IncomingMessage, maxId: number): number | undefined {
  if (req.method !== 'GET' || req.headers['if-none-match'] !== undefined) return undefined;
  const digits = FAST_PROFILE_PATH.exec(req.url ?? '')?.[1];
  if (digits === undefined) return undefined;
  const id = Number(digits);
  return id <= maxId ? id : undefined;
}

/**
 * `GET /profiles/:id` straight on node:http, in front of the Express app (`fallback`), which gets every
 * other request untouched. Same read path, headers, error bodies, logs and metrics as the Express route,
 * without the router and middleware chain the L1-hit path otherwise spends most of its CPU in.
 */
export function profileFastPath(deps: AppDeps, fallback: RequestListener): RequestListener {
  const maxId = deps.config.MAX_PROFILE_ID;
  const context: ResponseContext = { serverId: deps.config.SERVER_ID, metrics: deps.metrics };
  return (req, res) => {
    const id = fastProfileId(req, maxId);
    if (id === undefined) fallback(req, res);
    else void serveProfile(deps, context, res, id);
  };
}

/** Answers one profile read; never rejects (a failure becomes the Express route's JSON error response). */
async function serveProfile(
  deps: AppDeps,
  context: ResponseContext,
  res: ServerResponse,
  id: number,
): Promise<void> {
  let cache: CacheLabel = 'none';
  trackResponse(res, 'GET', context, () => ({ route: 'profile_get', cache }));
  try {
    const outcome = await readProfile(deps, id);
    cache = outcome.result;
    const body = applyProfileRead(res, id, outcome);
    res.setHeader('Content-Length', body.length);
    res.end(body);
  } catch (error) {
    const path = `/profiles/${id}`;
    sendErrorResponse(res, reportRequestError(deps.logger, error, { method: 'GET', path }), 'GET');
  }
}
