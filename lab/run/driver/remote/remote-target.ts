import { z } from 'zod';
import { LabError } from '../../../lab-errors.ts';
import { redisNodeName } from '../../../topology/services.ts';
import type { LabEndpoints } from '../driver-types.ts';

/** What the user says about a lab that runs elsewhere (swarm, Kubernetes): its front door and where its servers' figures are read. */
export interface RemoteTargetFlags {
  target: string;
  /** App server metrics: `http://host:port` each (`/metrics` is appended), optionally `name=url`. */
  scrapeApp?: string[];
  /** Redis nodes: `redis://[:password@]host:port` each. */
  scrapeRedis?: string[];
  /** A superuser URL of the lab database. */
  scrapePostgres?: string;
  /** A Prometheus that scrapes the app servers: their /metrics URLs are found in its targets. */
  prometheus?: string;
}

/** A validated remote lab. */
export interface RemoteTarget {
  url: string;
  apps: LabEndpoints['apps'];
  redis: LabEndpoints['redis'];
  postgresUrl?: string;
  prometheusUrl?: string;
}

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be http:// or https://');

function parseApp(value: string, index: number) {
  const eq = value.indexOf('=');
  const [server, url] =
    eq > 0 ? [value.slice(0, eq), value.slice(eq + 1)] : [`app-${index + 1}`, value];
  return { server, url: httpUrl.parse(url).replace(/\/+$/, '') };
}

function parseRedis(value: string, index: number) {
  const url = new URL(value);
  if (url.protocol !== 'redis:' || !url.hostname || !url.port)
    throw new Error(`${value}: expected redis://[:password@]host:port`);
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  return {
    node: redisNodeName(index),
    host: url.hostname,
    port: Number(url.port),
    ...(password ? { password } : {}),
  };
}

/** Parses the --target flags; USAGE naming the bad value. */
export function parseRemoteTarget(flags: RemoteTargetFlags): RemoteTarget {
  try {
    const postgres = flags.scrapePostgres;
    if (postgres !== undefined && !/^postgres(ql)?:\/\//.test(postgres)) {
      throw new Error(`${postgres}: expected postgres://user:password@host:port/db`);
    }
    return {
      url: httpUrl.parse(flags.target).replace(/\/+$/, ''),
      apps: (flags.scrapeApp ?? []).map(parseApp),
      redis: (flags.scrapeRedis ?? []).map(parseRedis),
      ...(postgres ? { postgresUrl: postgres } : {}),
      ...(flags.prometheus
        ? { prometheusUrl: httpUrl.parse(flags.prometheus).replace(/\/+$/, '') }
        : {}),
    };
  } catch (error) {
    const message =
      error instanceof z.ZodError
        ? error.issues.map((i) => i.message).join('; ')
        : String(error instanceof Error ? error.message : error);
    throw new LabError('USAGE', `--target: ${message}`, { cause: error });
  }
}
