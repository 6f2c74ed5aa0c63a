import { POSTGRES } from '../../../render/compose/compose-types.ts';
import { readEnvFile } from '../../../render/compose/pins.ts';
import type { LabEndpoints, LabState } from '../driver-types.ts';
import { endpointsOf } from '../state-endpoints.ts';
import { readRunRecord } from './record.ts';
import { validateSecrets } from './secrets.ts';

/**
 * Endpoints of a compose run: the published ports on 127.0.0.1, with the passwords of the secrets
 * file the run was started with (POSTGRES_USER is the database's superuser in the official image).
 */
export async function composeEndpoints(state: LabState): Promise<LabEndpoints> {
  const { secretsFile } = await readRunRecord(state.runDir);
  const secrets = validateSecrets(await readEnvFile(secretsFile), secretsFile);
  const { user, db } = POSTGRES;
  const password = secrets.POSTGRES_PASSWORD ?? '';
  return endpointsOf(state, {
    postgresUrl: (port) => `postgres://${user}:${password}@127.0.0.1:${port}/${db}`,
    redisPassword: secrets.REDIS_PASSWORD,
  });
}
