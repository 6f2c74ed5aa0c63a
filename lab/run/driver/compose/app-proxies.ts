import { LabError } from '../../../lab-errors.ts';
import { appNames, redisNames } from '../../../render/compose/base-services.ts';
import { CONTAINER_PORTS } from '../../../render/compose/compose-types.ts';
import {
  composeProxies,
  FAULT_PROXY_SERVICE,
  proxiedAppEnv,
} from '../../../render/compose/fault-proxy-service.ts';
import { appServerId } from '../../../topology/app-env.ts';
import type { Topology } from '../../../topology/model.ts';
import { hopDelays, latencyToxics } from '../../../topology/network.ts';
import { busProxies, networkOf } from '../../../topology/network-proxies.ts';
import { listenPort } from '../../processes/fault-proxy-api.ts';
import type { ProxyToCreate } from './network-setup.ts';

/**
 * First listen port (inside the fault-proxy container) of the proxies of app servers added to a
 * running lab: clear of the fixed ports compose gives the topology's own proxies (21000 upward).
 */
export const FIRST_ADDED_PROXY_PORT = 22_000;

/** The fault proxies of one app server, where nginx reaches it, and the environment it sets. */
export interface AppProxies {
  proxies: ProxyToCreate[];
  /** `fault-proxy:PORT` of its nginx→app proxy: its upstream address in nginx.conf. */
  upstream: string;
  /** The environment over its direct one: Redis and Postgres through their proxies, its bus through its own. */
  env: Record<string, string>;
}

const address = (port: number): string => `${FAULT_PROXY_SERVICE}:${port}`;

/**
 * The proxies of app server `index` (0-based) behind the fault proxy: the nginx→app proxy named after
 * it and its bus proxies. The topology's own servers keep their fixed compose ports; an added server
 * gets a block of ports from FIRST_ADDED_PROXY_PORT by its index, the same each time it comes back.
 */
export function appProxies(topology: Topology, index: number): AppProxies {
  const name = appServerId(index);
  const delays = hopDelays(networkOf(topology));
  const redis = (i: number) => `${redisNames(i + 1)[i]}:${CONTAINER_PORTS.redis}`;
  const bus = busProxies(topology, index, redis);
  const fixed = new Map(composeProxies(topology).map((p) => [p.name, p.port]));
  const block = 1 + bus.length;
  const firstPort = FIRST_ADDED_PROXY_PORT + (index - topology.appServers) * block;
  const specs = [
    {
      name,
      hop: 'nginx-app' as const,
      upstream: `${appNames(index + 1)[index]}:${CONTAINER_PORTS.app}`,
    },
    ...bus,
  ];
  const fixedPort = (proxy: string): number => {
    const port = fixed.get(proxy);
    if (port === undefined) throw new LabError('STATE_INVALID', `no compose proxy named ${proxy}`);
    return port;
  };
  const proxies = specs.map((spec, k) => {
    const port = index < topology.appServers ? fixedPort(spec.name) : firstPort + k;
    const toxics = latencyToxics(delays[spec.hop]);
    return { name: spec.name, listen: `0.0.0.0:${port}`, upstream: spec.upstream, toxics };
  });
  const [own, ...busOwn] = proxies.map((p) => listenPort(p.listen));
  return {
    proxies,
    upstream: address(own ?? 0),
    env: proxiedAppEnv(topology, index, busOwn.map(address)),
  };
}

/** The 0-based index of app server `name` (`app-3` → 2). */
export function appIndexOf(name: string): number {
  return Number(name.replace(/^app-/, '')) - 1;
}
