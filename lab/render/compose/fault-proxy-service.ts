import { appServerEnv, hasInvalidator, invalidatorEnv } from '../../topology/app-env.ts';
import type { Topology } from '../../topology/model.ts';
import { OVERHEAD_PROBE_PROXY } from '../../topology/network.ts';
import { busProxies, faultProxies, withNetwork } from '../../topology/network-proxies.ts';
import { redisNodeCount } from '../../topology/services.ts';
import { appNames, localPort, redisNames } from './base-services.ts';
import {
  COMPOSE_PATHS,
  CONTAINER_PORTS,
  type ComposeFile,
  type ComposeService,
  containerDatabaseUrl,
  offlineImageVariable,
  POSTGRES,
  POSTGRES_PASSWORD_REF,
  PROFILES,
  ref,
} from './compose-types.ts';
import { INVALIDATOR_SERVICE } from './invalidator-service.ts';
import { NGINX_CONF_VARIABLE } from './topology-overlay.ts';

/** The compose service of the fault proxy (toxiproxy API), and the host name apps and nginx dial. */
export const FAULT_PROXY_SERVICE = 'fault-proxy';

/** Port of the toxiproxy API inside its container (toxiproxy's default). */
export const FAULT_PROXY_API_PORT = 8474;

/** Pins variable of the real toxiproxy image (official-image stacks). */
export const TOXIPROXY_IMAGE_VARIABLE = 'CACHELAB_TOXIPROXY_IMAGE';

/** Where the proxies of the topology (the populate body) are mounted in the fault-proxy container. */
export const FAULT_PROXY_CONFIG_MOUNT = '/etc/cachelab/fault-proxy.json';

/**
 * Listen port (published) of the proxy in front of the fault proxy's own API: the driver measures the
 * proxy's own round trip through it and subtracts it from each latency toxic.
 */
export const OVERHEAD_PROBE_PORT = 20_999;

/** The overhead probe's populate entry. */
export const OVERHEAD_PROBE = {
  name: OVERHEAD_PROBE_PROXY,
  listen: `0.0.0.0:${OVERHEAD_PROBE_PORT}`,
  upstream: `127.0.0.1:${FAULT_PROXY_API_PORT}`,
};

/** First listen port of the proxies inside the fault-proxy container; one port per proxy after it. */
const FIRST_PROXY_PORT = 21_000;

/** One proxy of a compose topology: name (app-1, redis-1, postgres, bus-app-1), hop, listen and upstream. */
export interface ComposeProxy {
  name: string;
  hop: 'nginx-app' | 'app-redis' | 'app-postgres';
  /** Listen port inside the fault-proxy container. */
  port: number;
  /** `0.0.0.0:port`, as the populate body gives it. */
  listen: string;
  /** The service it stands for, by compose DNS name. */
  upstream: string;
}

/** The proxies of `topology` in compose, with fixed listen ports (whatever its network profile). */
export function composeProxies(topology: Topology): ComposeProxy[] {
  const specs = faultProxies(withNetwork(topology, { profile: 'lan' }), {
    app: (i) => `${appNames(i + 1)[i]}:${CONTAINER_PORTS.app}`,
    redis: (i) => `${redisNames(i + 1)[i]}:${CONTAINER_PORTS.redis}`,
    postgres: `${POSTGRES.host}:${CONTAINER_PORTS.postgres}`,
  });
  return specs.map((spec, index) => {
    const port = FIRST_PROXY_PORT + index;
    return {
      name: spec.name,
      hop: spec.hop,
      port,
      listen: `0.0.0.0:${port}`,
      upstream: spec.upstream,
    };
  });
}

const portOf = (proxies: ComposeProxy[], name: string): number => {
  const proxy = proxies.find((p) => p.name === name);
  if (!proxy) throw new Error(`no compose proxy named ${name}`);
  return proxy.port;
};

/** `fault-proxy:PORT` of the proxy standing for `name`. */
export function proxyAddress(topology: Topology, name: string): string {
  return `${FAULT_PROXY_SERVICE}:${portOf(composeProxies(topology), name)}`;
}

/** The populate body of the fault proxy of `topology` (mounted as its start-up config). */
export function faultProxyConfigJson(topology: Topology): string {
  const body = [...composeProxies(topology), OVERHEAD_PROBE].map(({ name, listen, upstream }) => ({
    name,
    listen,
    upstream,
    enabled: true,
  }));
  return `${JSON.stringify(body, null, 2)}\n`;
}

const API_FLAGS = ['--host', '0.0.0.0', '--port', String(FAULT_PROXY_API_PORT)];

/**
 * The fault proxy in compose.yaml: the real toxiproxy image (it has `/toxiproxy-cli` for its probe; Go
 * flags take `--name value` as our proxy does), off until a network overlay turns it on.
 */
export function faultProxyService(): ComposeService {
  return {
    image: ref(TOXIPROXY_IMAGE_VARIABLE),
    // In a profile: compose v1 would otherwise pull its image for loopback runs too.
    profiles: [PROFILES.network],
    scale: 0,
    command: [...API_FLAGS, '--config', FAULT_PROXY_CONFIG_MOUNT],
    ports: [localPort('', FAULT_PROXY_API_PORT), localPort('', OVERHEAD_PROBE_PORT)],
    healthcheck: {
      test: ['CMD', '/toxiproxy-cli', 'list'],
      interval: '2s',
      timeout: '5s',
      retries: 15,
      start_period: '30s',
    },
    // Two whole cores, so it is never throttled: a CFS quota would stall every proxied connection for
    // the rest of a 100 ms period, a delay no real network adds.
    cpus: 2,
    mem_limit: '128m',
  };
}

/** The fault proxy in compose.offline.yaml: the lab's own proxy, shipped in the offline app image. */
export function offlineFaultProxyService(): ComposeService {
  const probe = `fetch('http://127.0.0.1:${FAULT_PROXY_API_PORT}/version').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
  return {
    image: ref(offlineImageVariable('app')),
    entrypoint: ['node', '--enable-source-maps', 'dist/services/fault-proxy/src/main.js'],
    healthcheck: { test: ['CMD', 'node', '-e', probe] },
  };
}

/** nginx.conf of `topology` behind proxies: every app server reached through its proxy. */
export function proxiedNginxUpstreams(topology: Topology): string[] {
  return appNames(topology.appServers).map((name) => proxyAddress(topology, name));
}

/** What differs between two environments: the keys of `after` whose value changed. */
function changed(before: Record<string, string>, after: Record<string, string>) {
  return Object.fromEntries(Object.entries(after).filter(([key, value]) => before[key] !== value));
}

function proxiedBackends(topology: Topology) {
  const url = new URL(containerDatabaseUrl().replace(POSTGRES_PASSWORD_REF, 'PASSWORD'));
  const [host = '', port = ''] = proxyAddress(topology, 'postgres').split(':');
  url.hostname = host;
  url.port = port;
  const databaseUrl = url.toString().replace('PASSWORD', POSTGRES_PASSWORD_REF);
  const names = redisNames(redisNodeCount(topology.redis));
  const nodes = names.map((n) => proxyAddress(topology, n));
  if (topology.redis.kind === 'single')
    return { databaseUrl, redis: { url: `redis://${nodes[0]}` } };
  if (topology.redis.kind !== 'cluster')
    return { databaseUrl, redis: nodes.length > 0 ? { nodes } : {} };
  return { databaseUrl, redis: { nodes, natMap: natMapToProxies(topology, names) } };
}

/**
 * A cluster's nodes keep announcing their own names (replicas follow their master at its own address),
 * and its clients dial each announced `redis-N:6379` at redis-N's proxy: slot maps, MOVED and ASK too.
 */
function natMapToProxies(topology: Topology, names: string[]): Record<string, string> {
  return Object.fromEntries(
    names.map((n) => [`${n}:${CONTAINER_PORTS.redis}`, proxyAddress(topology, n)]),
  );
}

function directBackends(topology: Topology) {
  const nodes = redisNames(redisNodeCount(topology.redis)).map(
    (n) => `${n}:${CONTAINER_PORTS.redis}`,
  );
  const redis = topology.redis.kind === 'single' ? { url: `redis://${nodes[0]}` } : { nodes };
  return { databaseUrl: containerDatabaseUrl(), redis: nodes.length > 0 ? redis : {} };
}

const healthyProxy = { [FAULT_PROXY_SERVICE]: { condition: 'service_healthy' as const } };

/** Where app server `index` subscribes to the bus: its own bus proxies (none without a bus). */
function proxiedBus(topology: Topology, index: number): string[] {
  const lan = withNetwork(topology, { profile: 'lan' });
  return busProxies(lan, index, () => '').map((p) => proxyAddress(topology, p.name));
}

const common = { port: CONTAINER_PORTS.app, host: '0.0.0.0' };

/**
 * What app server `index` behind the fault proxy sets over its direct environment: the shared Redis
 * and Postgres proxies, and its bus at `bus` (its own bus proxies, `fault-proxy:PORT` each).
 */
export function proxiedAppEnv(
  topology: Topology,
  index: number,
  bus: readonly string[],
): Record<string, string> {
  const direct = { ...common, ...directBackends(topology) };
  const proxied = { ...common, ...proxiedBackends(topology) };
  const env = (b: typeof direct, busNodes?: readonly string[]) =>
    appServerEnv(topology, { ...b, bus: busNodes, index, diskCacheDir: '' });
  return changed(env(direct), env(proxied, bus));
}

function appsThroughProxies(topology: Topology): Record<string, ComposeService> {
  const direct = { ...common, ...directBackends(topology) };
  const proxied = { ...common, ...proxiedBackends(topology) };
  const entries = appNames(topology.appServers).map((name, index) => {
    const service: ComposeService = {
      environment: proxiedAppEnv(topology, index, proxiedBus(topology, index)),
      depends_on: healthyProxy,
    };
    return [name, service] as const;
  });
  if (hasInvalidator(topology)) {
    const environment = changed(
      invalidatorEnv(topology, direct),
      invalidatorEnv(topology, proxied),
    );
    entries.push([INVALIDATOR_SERVICE, { environment, depends_on: healthyProxy }]);
  }
  return Object.fromEntries(entries);
}

/**
 * The network overlay of `topology` (over its topology overlay): turns the fault proxy on with the
 * topology's proxies, and points the app servers (each bus at its own proxies), the invalidator and
 * nginx at them. The latency of
 * each hop is the driver's business (toxics through the API), so one overlay serves every profile.
 */
export function networkOverlay(topology: Topology): ComposeFile {
  const config = `./${COMPOSE_PATHS.faultProxy(topology.name)}:${FAULT_PROXY_CONFIG_MOUNT}:ro`;
  // The same variable as the topology overlay's mount: the driver points it at its rewritable copy.
  const source = ref(NGINX_CONF_VARIABLE, `./${COMPOSE_PATHS.networkNginx(topology.name)}`);
  const nginxConf = `${source}:/etc/nginx/nginx.conf:ro`;
  const proxyPorts = composeProxies(topology).map((p) => localPort('', p.port));
  return {
    services: {
      [FAULT_PROXY_SERVICE]: { scale: 1, volumes: [config], ports: proxyPorts },
      ...appsThroughProxies(topology),
      nginx: { volumes: [nginxConf], depends_on: healthyProxy },
    },
  };
}
