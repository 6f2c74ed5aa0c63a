import { type RequestHandler, Router } from 'express';
import type { AppDeps } from '../app-deps.ts';
import { label } from '../http/locals.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import type { Logger } from '../logger.ts';

/** Upper bound on one readiness check, so /readyz answers even when a backend hangs. */
export const READY_CHECK_TIMEOUT_MS = 1_500;

type CheckStatus = 'ok' | 'fail';

/** `GET /healthz` (alive, touches nothing) and `GET /readyz` (database and cache ping). */
export function healthRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/healthz', label('healthz'), (_req, res) => {
    res.json({ status: 'ok', server: deps.config.SERVER_ID });
  });
  router.all('/healthz', label('healthz'), methodNotAllowed(['GET', 'HEAD']));
  router.get('/readyz', label('readyz'), readiness(deps));
  router.all('/readyz', label('readyz'), methodNotAllowed(['GET', 'HEAD']));
  return router;
}

function readiness(deps: AppDeps): RequestHandler {
  return async (_req, res) => {
    const [database, cache] = await Promise.all([
      check('database', () => deps.repository.ping(), deps.logger),
      check('cache', () => deps.cache.ping(), deps.logger),
    ]);
    const checks = { database, cache };
    if (database === 'ok' && cache === 'ok') {
      res.json({ status: 'ready', checks });
      return;
    }
    const failed = Object.entries(checks).filter(([, status]) => status === 'fail');
    const message = `not ready: ${failed.map(([name]) => name).join(', ')} unavailable`;
    res.status(503).json({ error: { code: 'NOT_READY', message, details: { checks } } });
  };
}

async function check(
  name: string,
  ping: () => Promise<void>,
  logger: Logger,
): Promise<CheckStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${name} ping timed out after ${READY_CHECK_TIMEOUT_MS} ms`)),
      READY_CHECK_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([ping(), timeout]);
    return 'ok';
  } catch (error) {
    logger.warn({ err: error, check: name }, 'readiness check failed');
    return 'fail';
  } finally {
    clearTimeout(timer);
  }
}
