import { INVALIDATOR_NAME, invalidatorEnv } from '../../../topology/app-env.ts';
import type { Topology } from '../../../topology/model.ts';
import { type AppServerHandle, startInvalidator } from '../../processes/invalidator-process.ts';
import type { ServiceRecord } from '../driver-types.ts';
import { recordOf } from '../service-record.ts';

/** The outbox invalidator of a running topology. */
export interface InvalidatorLayer {
  handle: AppServerHandle;
  record: ServiceRecord;
}

/**
 * Starts the invalidator of an outbox topology, connected straight to Postgres and Redis (it is a
 * background worker: a fault proxy's delay on its hops would only add to its lag).
 */
export async function startInvalidatorLayer(
  topology: Topology,
  ctx: {
    servicesDir: string;
    databaseUrl: string;
    redis: { url?: string; nodes?: string[] };
    logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  },
): Promise<InvalidatorLayer> {
  const env = invalidatorEnv(topology, {
    databaseUrl: ctx.databaseUrl,
    redis: ctx.redis,
    logLevel: ctx.logLevel,
  });
  const handle = await startInvalidator({ runDir: ctx.servicesDir, env, name: INVALIDATOR_NAME });
  return { handle, record: recordOf(INVALIDATOR_NAME, 'invalidator', handle, [handle.port]) };
}
