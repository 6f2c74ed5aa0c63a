import { appServerId } from './app-env.ts';
import type { Topology } from './model.ts';
import {
  HOPS,
  type Hop,
  hopDelays,
  type LatencyToxic,
  LOOPBACK,
  latencyToxics,
  type NetworkSettings,
  needsProxies,
} from './network.ts';
import { redisNodeCount, redisNodeName } from './services.ts';

/** The network of a topology (loopback when it has none). */
export function networkOf(topology: Topology): NetworkSettings {
  return topology.network ?? LOOPBACK;
}

/** The topology with `network` set (the catalog entries are loopback). */
export function withNetwork(topology: Topology, network: NetworkSettings): Topology {
  return { ...topology, network };
}

/** Where the real services listen, as `host:port`, for the proxies to forward to. */
export interface HopUpstreams {
  /** App server i (0-based) → host:port. */
  app: (index: number) => string;
  /** Redis node i (0-based) → host:port. */
  redis: (index: number) => string;
  postgres: string;
}

/** One proxy of the fault proxy: its name (the service it stands for), hop, upstream and toxics. */
export interface ProxySpec {
  name: string;
  hop: Hop;
  upstream: string;
  toxics: LatencyToxic[];
  /** Set on a bus proxy: the app server whose invalidation bus it carries, and the node it reaches. */
  bus?: { app: string; node: string };
}

/** True when the app servers of `topology` hold an invalidation-bus connection of their own (two-tier). */
export function hasInvalidationBus(topology: Topology): boolean {
  return topology.cache.mode === 'two-tier';
}

/** The name that selects every bus proxy of app server `appIndex` (0-based): `bus-app-2`. */
export function busHopName(appIndex: number): string {
  return `bus-${appServerId(appIndex)}`;
}

/** The bus proxy of app server `appIndex` to Redis node `nodeIndex`: `bus-app-2`, `bus-app-2-redis-3` on several nodes. */
export function busProxyName(topology: Topology, appIndex: number, nodeIndex: number): string {
  const group = busHopName(appIndex);
  return redisNodeCount(topology.redis) > 1 ? `${group}-${redisNodeName(nodeIndex)}` : group;
}

function specOf(topology: Topology, name: string, hop: Hop, upstream: string): ProxySpec {
  return { name, hop, upstream, toxics: latencyToxics(hopDelays(networkOf(topology))[hop]) };
}

/**
 * The bus proxies of app server `appIndex`: one per Redis node its subscriber may connect to, on the
 * app→Redis hop, so cutting them cuts that server's bus alone. None without a bus or under loopback.
 */
export function busProxies(
  topology: Topology,
  appIndex: number,
  redis: HopUpstreams['redis'],
): ProxySpec[] {
  if (!needsProxies(networkOf(topology)) || !hasInvalidationBus(topology)) return [];
  return Array.from({ length: redisNodeCount(topology.redis) }, (_, node) => ({
    ...specOf(topology, busProxyName(topology, appIndex, node), 'app-redis', redis(node)),
    bus: { app: appServerId(appIndex), node: redisNodeName(node) },
  }));
}

/**
 * Every proxy `topology` needs: one per app server (nginx → app-i), one per Redis node (app → redis-j,
 * the L2 connections), one for Postgres, then each app server's own bus proxies; none under loopback.
 * The bus proxies come last so that adding them moved no other proxy's fixed compose port.
 */
export function faultProxies(topology: Topology, upstreams: HopUpstreams): ProxySpec[] {
  if (!needsProxies(networkOf(topology))) return [];
  const spec = (name: string, hop: Hop, upstream: string) => specOf(topology, name, hop, upstream);
  const apps = Array.from({ length: topology.appServers }, (_, i) => i);
  return [
    ...apps.map((i) => spec(appServerId(i), 'nginx-app', upstreams.app(i))),
    ...Array.from({ length: redisNodeCount(topology.redis) }, (_, i) =>
      spec(redisNodeName(i), 'app-redis', upstreams.redis(i)),
    ),
    spec('postgres', 'app-postgres', upstreams.postgres),
    ...apps.flatMap((i) => busProxies(topology, i, upstreams.redis)),
  ];
}

/**
 * The proxies a toxic target names, or undefined when it names none: a hop (every proxy on it), a
 * proxy, a server's bus (`bus-app-2`: all of its bus proxies), and a Redis node takes its bus
 * proxies along (a slow node is slow on every connection to it).
 */
export function proxiesTargeted(specs: readonly ProxySpec[], target: string): string[] | undefined {
  const names = (list: readonly ProxySpec[]) => list.map((p) => p.name);
  if ((HOPS as readonly string[]).includes(target))
    return names(specs.filter((p) => p.hop === target));
  const busOf = specs.filter((p) => p.bus !== undefined && `bus-${p.bus.app}` === target);
  if (busOf.length > 0) return names(busOf);
  if (!specs.some((p) => p.name === target)) return undefined;
  return [target, ...names(specs.filter((p) => p.bus?.node === target))];
}
