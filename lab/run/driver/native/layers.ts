import { join } from 'node:path';
import { renderNginxConfig } from '../../../render/nginx/render-nginx.ts';
import { redisServerConfig } from '../../../render/redis/redis-config.ts';
import {
  type AppEnvContext,
  appServerEnv,
  appServerId,
  type RedisEndpoints,
} from '../../../topology/app-env.ts';
import type { RedisLayout, Topology } from '../../../topology/model.ts';
import { type AppServerHandle, startAppServer } from '../../processes/app-server.ts';
import { type NginxHandle, startNginx } from '../../processes/nginx.ts';
import { CLUSTER_BUS_OFFSET } from '../../processes/ports.ts';
import { type PostgresHandle, startPostgres } from '../../processes/postgres.ts';
import { type RedisNode, startRedis, startRedisShards, stopAll } from '../../processes/redis.ts';
import { type RedisCluster, startRedisCluster } from '../../processes/redis-cluster-nodes.ts';
import type { ServiceRecord } from '../driver-types.ts';
import { recordOf } from '../service-record.ts';

/** The Redis side of a running topology. */
export interface RedisLayoutRun {
  layout: RedisLayout;
  /** Every node, in start order (a cluster's first `masters` nodes were created as masters). */
  nodes: RedisNode[];
  cluster: RedisCluster | undefined;
  /** What the app servers are given: REDIS_URL or REDIS_NODES. */
  endpoints: { url?: string; nodes?: string[] };
  records: ServiceRecord[];
  stop(): Promise<void>;
}

/** Starts Postgres in `<servicesDir>/postgres` and returns its handle and record (stopped with SIGINT). */
export async function startPostgresLayer(servicesDir: string) {
  const handle: PostgresHandle = await startPostgres({ runDir: servicesDir });
  return { handle, record: recordOf('postgres', 'postgres', handle, [handle.port], 'SIGINT') };
}

async function startNodes(topology: Topology, runDir: string) {
  const extraConfig = redisServerConfig(topology);
  const { redis } = topology;
  switch (redis.kind) {
    case 'none':
      return undefined;
    case 'single':
      return { nodes: [await startRedis({ runDir, extraConfig })], cluster: undefined };
    case 'shards': {
      const shards = await startRedisShards({ runDir, count: redis.count, extraConfig });
      return { nodes: shards.nodes, cluster: undefined };
    }
    case 'cluster': {
      const { masters, replicasPerMaster } = redis;
      const cluster = await startRedisCluster({ runDir, masters, replicasPerMaster, extraConfig });
      return { nodes: cluster.nodes, cluster };
    }
  }
}

/** Starts the Redis layout the topology asks for (none, single, shards or cluster). */
export async function startRedisLayer(
  topology: Topology,
  servicesDir: string,
): Promise<RedisLayoutRun | undefined> {
  const started = await startNodes(topology, servicesDir);
  if (!started) return undefined;
  const { nodes, cluster } = started;
  const single = topology.redis.kind === 'single';
  const busPorts = (port: number): number[] =>
    cluster ? [port, port + CLUSTER_BUS_OFFSET] : [port];
  return {
    layout: topology.redis,
    nodes,
    cluster,
    endpoints: single ? { url: nodes[0]?.url } : { nodes: nodes.map((n) => n.address) },
    records: nodes.map((n, i) => recordOf(`redis-${i + 1}`, 'redis', n, busPorts(n.port))),
    stop: () => stopAll(nodes),
  };
}

/** Context of startAppLayer. */
export interface AppLayerContext {
  servicesDir: string;
  databaseUrl: string;
  /** Where the app servers reach Redis (a proxy's address under a network profile). */
  redis: RedisEndpoints;
  /** Where app server i subscribes to the invalidation bus (its own proxies); absent: `redis`. */
  bus?: readonly (readonly string[] | undefined)[];
  logLevel: AppEnvContext['logLevel'];
}

/** Starts the topology's app servers in parallel; if one fails, the others are stopped before rethrowing. */
export async function startAppLayer(topology: Topology, ctx: AppLayerContext) {
  const envOf = (index: number) =>
    appServerEnv(topology, {
      index,
      databaseUrl: ctx.databaseUrl,
      redis: ctx.redis,
      bus: ctx.bus?.[index],
      diskCacheDir: join(ctx.servicesDir, 'disk-cache'),
      logLevel: ctx.logLevel,
    });
  const starts = Array.from({ length: topology.appServers }, (_, index) =>
    startAppServer({ runDir: ctx.servicesDir, env: envOf(index), name: appServerId(index) }),
  );
  const settled = await Promise.allSettled(starts);
  const apps = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) {
    await stopAll(apps);
    throw failed.reason;
  }
  const records = apps.map((a) => recordOf(a.name, 'app', a, [a.port]));
  return { apps: apps as AppServerHandle[], records, stop: () => stopAll(apps) };
}

/** Renders the topology's nginx.conf for the running app servers and starts nginx on `httpPort`. */
export async function startNginxLayer(
  topology: Topology,
  servicesDir: string,
  httpPort: number,
  appPorts: number[],
) {
  const config = renderNginxConfig(topology, { listenPort: httpPort, upstreams: appPorts });
  const handle: NginxHandle = await startNginx({ runDir: servicesDir, config, port: httpPort });
  return { handle, record: recordOf('nginx', 'nginx', handle, [httpPort]) };
}
