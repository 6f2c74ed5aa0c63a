import type { ClusterOptions, NatMap } from 'ioredis';
import { CONTAINER_PORTS } from '../../../render/compose/compose-types.ts';
import { redisNodeName } from '../../../topology/services.ts';

/**
 * ioredis `natMap` for a host-side client of a compose Redis Cluster. The nodes announce their compose
 * DNS names (`cluster-announce-hostname redis-N`, `cluster-preferred-endpoint-type hostname`), which app
 * containers resolve but the host cannot; this maps each `redis-N:6379` to its published 127.0.0.1 port.
 * `hostAddresses` are the published addresses of redis-1, redis-2… in order (LabState.redis.nodes).
 */
export function clusterNatMap(hostAddresses: readonly string[]): NatMap {
  const entries = hostAddresses.map((address, index) => {
    const [host = '127.0.0.1', port = ''] = address.split(':');
    return [`${redisNodeName(index)}:${CONTAINER_PORTS.redis}`, { host, port: Number(port) }];
  });
  return Object.fromEntries(entries);
}

/**
 * ioredis Cluster options of a host-side client of a compose Redis Cluster: the natMap above and the
 * password every node requires (REDIS_PASSWORD of compose/secrets.env), merged over `extra`.
 */
export function hostClusterOptions(
  hostAddresses: readonly string[],
  password: string,
  extra: ClusterOptions = {},
): ClusterOptions {
  return {
    ...extra,
    natMap: clusterNatMap(hostAddresses),
    redisOptions: { ...extra.redisOptions, password },
  };
}
