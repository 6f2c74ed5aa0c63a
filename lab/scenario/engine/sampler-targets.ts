import { readFile } from 'node:fs/promises';
import { readRunRecord } from '../../run/driver/compose/record.ts';
import { parseSecrets } from '../../run/driver/compose/secrets.ts';
import type { LabState } from '../../run/driver/driver-types.ts';
import type { SamplerTargets } from './server-sampler.ts';

function hostPort(address: string): { host: string; port: number } {
  const [host = '127.0.0.1', port = '0'] = address.replace(/^redis:\/\//, '').split(':');
  return { host, port: Number(port) };
}

async function composePasswords(state: LabState): Promise<Record<string, string>> {
  if (state.driver !== 'compose') return {};
  const record = await readRunRecord(state.runDir);
  return parseSecrets(await readFile(record.secretsFile, 'utf8'), record.secretsFile);
}

/** The app servers of `state`, by their recorded first port on 127.0.0.1. */
function appTargets(state: LabState) {
  return state.services
    .filter((s) => s.role === 'app' && s.ports[0] !== undefined)
    .map((s) => ({ server: s.name, url: `http://127.0.0.1:${s.ports[0]}` }));
}

/**
 * Host-side addresses (and, for compose, passwords) the per-second sampler reads; the app servers
 * too when `apps` (their L1 size and bus messages).
 */
export async function samplerTargetsOf(state: LabState, apps = false): Promise<SamplerTargets> {
  const secrets = await composePasswords(state);
  const addresses = state.redis.url ? [state.redis.url] : [...(state.redis.nodes ?? [])];
  const password = secrets.REDIS_PASSWORD;
  const url = new URL(state.databaseUrl);
  if (secrets.POSTGRES_PASSWORD) url.password = secrets.POSTGRES_PASSWORD;
  return {
    databaseUrl: url.toString(),
    redis: addresses.map((address, i) => ({
      node: `redis-${i + 1}`,
      ...hostPort(address),
      ...(password ? { password } : {}),
    })),
    ...(apps ? { apps: appTargets(state) } : {}),
  };
}
