import { appServerId } from './app-env.ts';
import type { Topology } from './model.ts';
import {
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
}

/**
 * Every proxy `topology` needs: one per app server (nginx → app-i), one per Redis node (app → redis-j,
 * which also carries the invalidation bus) and one for Postgres; none under loopback.
 */
export function faultProxies(topology: Topology, upstreams: HopUpstreams): ProxySpec[] {
  const network = networkOf(topology);
  if (!needsProxies(network)) return [];
  const delays = hopDelays(network);
  const spec = (name: string, hop: Hop, upstream: string): ProxySpec => ({
    name,
    hop,
    upstream,
    toxics: latencyToxics(delays[hop]),
  });
  return [
    ...Array.from({ length: topology.appServers }, (_, i) =>
      spec(appServerId(i), 'nginx-app', upstreams.app(i)),
    ),
    ...Array.from({ length: redisNodeCount(topology.redis) }, (_, i) =>
      spec(redisNodeName(i), 'app-redis', upstreams.redis(i)),
    ),
    spec('postgres', 'app-postgres', upstreams.postgres),
  ];
}
