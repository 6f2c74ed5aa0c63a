import { LabError } from '../../lab-errors.ts';
import type { LabEndpoints, LabState, ServiceRecord } from './driver-types.ts';

/** Credentials a driver knows and the state file does not hold. */
export interface EndpointCredentials {
  /** postgres:// URL of a superuser, given the host port of the postgres service. */
  postgresUrl: (port: number) => string;
  redisPassword?: string;
}

function firstPort(record: ServiceRecord): number {
  const port = record.ports[0];
  if (port === undefined) {
    throw new LabError('STATE_INVALID', `${record.name} is recorded without a port`);
  }
  return port;
}

/**
 * The endpoints of a recorded topology: every app and Redis service by its recorded name and first
 * port on 127.0.0.1 (in recorded order), and Postgres with the driver's credentials.
 */
export function endpointsOf(state: LabState, credentials: EndpointCredentials): LabEndpoints {
  const of = (role: ServiceRecord['role']) => state.services.filter((s) => s.role === role);
  const postgres = of('postgres')[0];
  if (!postgres) throw new LabError('STATE_INVALID', `${state.topology} has no postgres service`);
  const password = credentials.redisPassword;
  return {
    apps: of('app').map((s) => ({ server: s.name, url: `http://127.0.0.1:${firstPort(s)}` })),
    invalidators: of('invalidator')
      .filter((s) => s.ports[0] !== undefined)
      .map((s) => ({ server: s.name, url: `http://127.0.0.1:${firstPort(s)}` })),
    redis: of('redis').map((s) => ({
      node: s.name,
      host: '127.0.0.1',
      port: firstPort(s),
      ...(password === undefined ? {} : { password }),
    })),
    postgresUrl: credentials.postgresUrl(firstPort(postgres)),
  };
}
