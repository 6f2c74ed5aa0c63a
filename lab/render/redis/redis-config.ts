import type { Topology } from '../../topology/model.ts';

/** Memory cap of each Redis node the lab starts: a cache must evict, not grow until the box swaps. */
export const REDIS_MAXMEMORY = '256mb';

/** redis.conf directives every Redis node of `topology` runs with (none when it has no Redis). */
export function redisServerConfig(topology: Topology): Record<string, string> {
  if (topology.redis.kind === 'none') return {};
  return { maxmemory: REDIS_MAXMEMORY, 'maxmemory-policy': 'allkeys-lru' };
}

/** A short human description of the Redis layout, e.g. "cluster 3+3" or "3 shards". */
export function describeRedis(topology: Topology): string {
  const { redis } = topology;
  switch (redis.kind) {
    case 'none':
      return '-';
    case 'single':
      return '1 server';
    case 'cluster':
      return `cluster ${redis.masters}+${redis.masters * redis.replicasPerMaster}`;
    case 'shards':
      return `${redis.count} shards`;
  }
}
