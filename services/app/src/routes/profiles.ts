import { type RequestHandler, Router } from 'express';
import type { AppDeps } from '../app-deps.ts';
import { parseProfilePatch } from '../db/profile-patch.ts';
import { AppError } from '../errors.ts';
import { idempotencyKeyOf } from '../http/idempotency-key.ts';
import { jsonBody } from '../http/json-body.ts';
import { sendKeyedWrite } from '../http/keyed-write-response.ts';
import { label, profileIdOf, setCacheLabel, setProfileId } from '../http/locals.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import { parseProfileId } from '../http/profile-id.ts';
import { applyProfileRead, readProfile } from '../http/profile-read.ts';
import { writeProfile, writeProfileOnce } from '../http/profile-write.ts';
import { formatServerTiming } from '../http/server-timing.ts';

const PROFILE_PATH = '/profiles/:id';

/**
 * `GET /profiles/:id` (cached bytes as they are) and `PATCH /profiles/:id` (update, then invalidate;
 * once per Idempotency-Key when it carries one).
 */
export function profileRoutes(deps: AppDeps): Router {
  const router = Router();
  const validId = validateId(deps.config.MAX_PROFILE_ID);
  router.get(PROFILE_PATH, label('profile_get'), validId, getProfile(deps));
  router.patch(PROFILE_PATH, label('profile_patch'), validId, ...jsonBody(), patchProfile(deps));
  router.all(PROFILE_PATH, methodNotAllowed(['GET', 'HEAD', 'PATCH']));
  return router;
}

function validateId(maxId: number): RequestHandler {
  return (req, res, next) => {
    setProfileId(res, parseProfileId(req.params.id, maxId));
    next();
  };
}

function getProfile(deps: AppDeps): RequestHandler {
  return async (_req, res) => {
    const id = profileIdOf(res);
    const outcome = await readProfile(deps, id);
    setCacheLabel(res, outcome.result);
    res.send(applyProfileRead(res, id, outcome));
  };
}

function patchProfile(deps: AppDeps): RequestHandler {
  return async (req, res) => {
    const id = profileIdOf(res);
    const patch = parseProfilePatch(req.body);
    const key = idempotencyKeyOf(req.headers);
    if (key !== undefined) {
      const retentionMs = deps.config.IDEMPOTENCY_RETENTION_MS;
      const outcome = await writeProfileOnce(deps, id, patch, { key, retentionMs });
      if (!outcome) throw new AppError('PROFILE_NOT_FOUND', `profile ${id} not found`);
      sendKeyedWrite(res, id, outcome);
      return;
    }
    const written = await writeProfile(deps, id, patch);
    if (!written) throw new AppError('PROFILE_NOT_FOUND', `profile ${id} not found`);
    res.setHeader('X-Profile-Version', String(written.version));
    res.setHeader('Server-Timing', formatServerTiming(written));
    res.status(200).json({ id, version: written.version });
  };
}
