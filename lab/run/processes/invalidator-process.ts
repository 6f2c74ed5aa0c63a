import { join } from 'node:path';
import { REPO_ROOT } from '../../repo-root.ts';
import { type AppServerHandle, startAppServer } from './app-server.ts';

export type { AppServerHandle } from './app-server.ts';

/** Entry point of the outbox invalidator (services/invalidator). */
export const INVALIDATOR_ENTRY = join(REPO_ROOT, 'services', 'invalidator', 'src', 'main.ts');

/** Options of startInvalidator. */
export interface StartInvalidatorOptions {
  runDir: string;
  /** Its environment: DATABASE_URL, CACHE_MODE, REDIS_URL/REDIS_NODES … (PORT: a free one if absent). */
  env: Record<string, string>;
  /** Log name and SERVER_ID. Default 'invalidator'. */
  name?: string;
}

/**
 * Starts the invalidator as its own process (`node --import tsx`), waiting until its /healthz
 * answers; its /metrics is on the same port.
 */
export function startInvalidator(opts: StartInvalidatorOptions): Promise<AppServerHandle> {
  const name = opts.name ?? 'invalidator';
  return startAppServer({
    runDir: opts.runDir,
    name,
    entry: INVALIDATOR_ENTRY,
    env: { SERVER_ID: name, ...opts.env },
    stopTimeoutMs: 5_000,
  });
}
