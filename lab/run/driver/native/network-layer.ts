import type { RedisEndpoints } from '../../../topology/app-env.ts';
import type { Topology } from '../../../topology/model.ts';
import { needsProxies } from '../../../topology/network.ts';
import { faultProxies, networkOf, type ProxySpec } from '../../../topology/network-proxies.ts';
import { type FaultProxyHandle, startFaultProxyProcess } from '../../processes/fault-proxy.ts';
import { faultProxyApi, listenPort } from '../../processes/fault-proxy-api.ts';
import { announceThroughProxies } from '../../processes/redis-announce.ts';
import type { ServiceRecord } from '../driver-types.ts';
import { recordOf } from '../service-record.ts';
import type { RedisLayoutRun } from './layers.ts';

/** The fault proxy of a running topology and where each proxied service is reached. */
export interface NetworkRun {
  handle: FaultProxyHandle;
  record: ServiceRecord;
  /** Listen port of each proxy, by name (app-1…, redis-1…, postgres). */
  ports: Map<string, number>;
}

/** What the app servers connect to: the proxies under a network profile, the services otherwise. */
export interface AppBackends {
  databaseUrl: string;
  redis: RedisEndpoints;
}

async function createProxies(run: NetworkRun, specs: ProxySpec[]): Promise<void> {
  const api = faultProxyApi(run.handle.url);
  const created = await api.populate(
    specs.map((s) => ({ name: s.name, listen: '127.0.0.1:0', upstream: s.upstream })),
  );
  for (const proxy of created) run.ports.set(proxy.name, listenPort(proxy.listen));
  for (const spec of specs) {
    for (const toxic of spec.toxics) await api.addToxic(spec.name, toxic);
  }
}

function specsOf(topology: Topology, postgresPort: number, redis: RedisLayoutRun | undefined) {
  return faultProxies(topology, {
    app: () => '',
    redis: (i) => redis?.nodes[i]?.address ?? '',
    postgres: `127.0.0.1:${postgresPort}`,
  });
}

/**
 * Starts one fault-proxy process with a proxy for Postgres and every Redis node (a cluster's nodes
 * then announce their proxy's port, so redirections go through the proxies too). None on loopback.
 */
export async function startNetworkLayer(
  topology: Topology,
  servicesDir: string,
  postgresPort: number,
  redis: RedisLayoutRun | undefined,
): Promise<NetworkRun | undefined> {
  if (!needsProxies(networkOf(topology))) return undefined;
  const handle = await startFaultProxyProcess({ runDir: servicesDir });
  const run: NetworkRun = {
    handle,
    record: recordOf('fault-proxy', 'network', handle, [handle.port]),
    ports: new Map(),
  };
  try {
    const specs = specsOf(topology, postgresPort, redis).filter((s) => s.hop !== 'nginx-app');
    await createProxies(run, specs);
    if (redis?.cluster) {
      await announceThroughProxies(
        redis.nodes.map((node, i) => ({ port: node.port, proxyPort: need(run, `redis-${i + 1}`) })),
      );
    }
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return run;
}

/** Adds the nginx → app-i proxies once the app servers listen (app ports are picked at start). */
export async function addAppProxies(
  topology: Topology,
  run: NetworkRun,
  appPorts: number[],
): Promise<void> {
  const specs = faultProxies(topology, {
    app: (i) => `127.0.0.1:${appPorts[i]}`,
    redis: () => '',
    postgres: '',
  }).filter((s) => s.hop === 'nginx-app');
  await createProxies(run, specs);
}

function need(run: NetworkRun, name: string): number {
  const port = run.ports.get(name);
  if (port === undefined) throw new Error(`no fault proxy named ${name}`);
  return port;
}

/** What the app servers connect to under `run` (or directly when there is no network layer). */
export function appBackends(
  direct: { databaseUrl: string; redis: RedisEndpoints },
  run: NetworkRun | undefined,
): AppBackends {
  if (!run) return direct;
  const url = new URL(direct.databaseUrl);
  url.port = String(need(run, 'postgres'));
  const redis: RedisEndpoints = {};
  if (direct.redis.url) redis.url = `redis://127.0.0.1:${need(run, 'redis-1')}`;
  if (direct.redis.nodes)
    redis.nodes = direct.redis.nodes.map((_, i) => `127.0.0.1:${need(run, `redis-${i + 1}`)}`);
  return { databaseUrl: url.toString(), redis };
}

/** The ports nginx sends to: each app server's proxy under `run`, the app servers otherwise. */
export function nginxUpstreams(
  apps: { name: string; port: number }[],
  run: NetworkRun | undefined,
): number[] {
  return run ? apps.map((app) => need(run, app.name)) : apps.map((app) => app.port);
}
