import { ADMIN_PASSWORD } from '../../processes/postgres-template.ts';
import type { LabEndpoints, LabState } from '../driver-types.ts';
import { endpointsOf } from '../state-endpoints.ts';

/** Endpoints of a native run: the recorded ports, Postgres as its `postgres` superuser, Redis without a password. */
export async function nativeEndpoints(state: LabState): Promise<LabEndpoints> {
  return endpointsOf(state, {
    postgresUrl: (port) => `postgres://postgres:${ADMIN_PASSWORD}@127.0.0.1:${port}/cachelab`,
  });
}
