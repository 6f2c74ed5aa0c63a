import type { RedisEndpoints } from '../../../topology/app-env.ts';
import type { Topology } from '../../../topology/model.ts';
import { compensated, needsProxies } from '../../../topology/network.ts';
import {
  busProxies,
  faultProxies,
  networkOf,
  type ProxySpec,
} from '../../../topology/network-proxies.ts';
import { type FaultProxyHandle, startFaultProxyProcess } from '../../processes/fault-proxy.ts';
import { faultProxyApi, listenPort } from '../../processes/fault-proxy-api.ts';
import { measureProxyOverhead } from '../../processes/proxy-overhead.ts';
import { announceThroughProxies } from '../../processes/redis-announce.ts';
import type { ServiceRecord } from '../driver-types.ts';
import { recordOf } from '../service-record.ts';
import type { RedisLayoutRun } from './layers.ts';

/** The fault proxy of a running topology and where each proxied service is reached. */
export interface NetworkRun {
  handle: FaultProxyHandle;
  record: ServiceRecord;
  /** Listen port of each proxy, by name (app-1…, redis-1…, postgres, bus-app-1…). */
  ports: Map<string, number>;
  /** The proxy's own round trip (ms), measured at start and subtracted from every latency toxic. */
  overheadMs: number;
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
    for (const toxic of spec.toxics) {
      await api.addToxic(spec.name, compensated(toxic, run.overheadMs));
    }
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
 * Starts one fault-proxy process with a proxy for Postgres, every Redis node (a cluster's nodes then
 * announce their proxy's port, so redirections go through the proxies too) and each app server's
 * invalidation bus. None on loopback.
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
    overheadMs: 0,
  };
  try {
    run.overheadMs = await measureProxyOverhead(handle.url);
    const specs = specsOf(topology, postgresPort, redis).filter((s) => s.hop !== 'nginx-app');
    await createProxies(run, specs);
    if (redis) await announceCluster(run, redis);
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return run;
}

/** Makes a cluster's running nodes announce their proxies (at up, and again after a node restarts). */
export async function announceCluster(run: NetworkRun, redis: RedisLayoutRun): Promise<void> {
  if (!redis.cluster) return;
  await announceThroughProxies(
    redis.nodes.map((node, i) => ({
      port: node.port,
      proxyPort: need(run, `redis-${i + 1}`),
      running: node.running,
    })),
  );
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

/**
 * Where app server `index` subscribes to the invalidation bus: its own bus proxies, created here when
 * it has none yet (a server added after `up`); undefined without a bus hop (the L2 addresses then).
 */
export async function busAddresses(
  topology: Topology,
  run: NetworkRun | undefined,
  redis: RedisLayoutRun | undefined,
  index: number,
): Promise<string[] | undefined> {
  if (!run) return undefined;
  const specs = busProxies(topology, index, (i) => redis?.nodes[i]?.address ?? '');
  if (specs.length === 0) return undefined;
  const missing = specs.filter((spec) => !run.ports.has(spec.name));
  if (missing.length > 0) await createProxies(run, missing);
  return specs.map((spec) => `127.0.0.1:${need(run, spec.name)}`);
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
