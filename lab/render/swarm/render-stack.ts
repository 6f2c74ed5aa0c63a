import { stringify } from 'yaml';
import { LabError } from '../../lab-errors.ts';
import { hasInvalidator, INVALIDATOR_NAME } from '../../topology/app-env.ts';
import type { Topology } from '../../topology/model.ts';
import { redisNodeCount } from '../../topology/services.ts';
import { redisNames } from '../compose/base-services.ts';
import { CONTAINER_PORTS } from '../compose/compose-types.ts';
import { STATUS_ALLOW } from '../compose/render-compose.ts';
import { containerRedisEndpoints } from '../compose/topology-overlay.ts';
import { renderNginxConfig } from '../nginx/render-nginx.ts';
import {
  appStackService,
  clusterInitStackService,
  invalidatorStackService,
  nginxStackService,
  postgresStackService,
  redisStackService,
  STACK_CONFIGS,
  STACK_NETWORK,
  STACK_POSTGRES_VOLUME,
  STACK_SECRETS,
  type StackImages,
  seedStackService,
} from './stack-services.ts';
import type { StackFile, StackService } from './stack-types.ts';

/** How nginx re-resolves the app service: `resolve` needs nginx >= 1.27.3, `variable` works on 1.22. */
export type NginxResolveMode = 'resolve' | 'variable';

/** Docker's embedded DNS server, inside every container on a user-defined network. */
export const DOCKER_DNS = '127.0.0.11';

/** The name of the app service (one service, many replicas). */
export const APP_SERVICE = 'app';

/** Absolute paths of the files a stack's configs and secrets are read from at deploy time. */
export interface StackSourceFiles {
  nginxConf: string;
  redisConf: string;
  redisClusterConf: string;
  clusterInit: string;
  postgresPassword: string;
  redisPassword: string;
}

/** What renderStack needs besides the model. */
export interface StackRenderOptions {
  images: StackImages;
  httpPort: number;
  /** Host ports (published on the node) of Postgres and of each Redis node, in node order. */
  hostPorts: { postgres: number; redis: readonly number[] };
  seedUsers: number;
  appLogLevel: string;
  /** Ids of the swarm's nodes: with several, Redis nodes are pinned round-robin, one per node first. */
  nodes: readonly string[];
  files: StackSourceFiles;
}

/**
 * nginx.conf of `topology` on swarm: the app service by its DNS name, re-resolved every second, so
 * tasks added or removed by `cachelab scale` are seen without a reload. The variable mode can only
 * round-robin: a topology that balances otherwise needs an nginx with `server … resolve`.
 */
export function renderSwarmNginx(topology: Topology, mode: NginxResolveMode): string {
  if (mode === 'variable' && topology.loadBalancing !== 'round-robin') {
    throw new LabError(
      'TOPOLOGY_INVALID',
      `${topology.name} balances with ${topology.loadBalancing}, which this nginx cannot keep while re-resolving the app servers (it needs \`server … resolve\`, nginx >= 1.27.3): run it with the official nginx image (CACHELAB_OFFLINE=0)`,
    );
  }
  return renderNginxConfig(topology, {
    listenPort: CONTAINER_PORTS.nginx,
    listenHost: '0.0.0.0',
    upstreams: [],
    prefix: '/tmp',
    tempDir: '/tmp',
    stdioLogs: true,
    statusAllow: STATUS_ALLOW,
    dynamic: {
      mode,
      address: `${APP_SERVICE}:${CONTAINER_PORTS.app}`,
      resolver: DOCKER_DNS,
      valid: '1s',
    },
  });
}

/** Spreads Redis nodes over the swarm's nodes (no constraint on a single-node swarm). */
function pinRedis(service: StackService, index: number, nodes: readonly string[]): StackService {
  const node = nodes[index % nodes.length];
  if (nodes.length < 2 || node === undefined) return service;
  const placement = { constraints: [`node.id == ${node}`], max_replicas_per_node: 1 };
  return { ...service, deploy: { ...service.deploy, placement } };
}

function redisServices(topology: Topology, o: StackRenderOptions): Record<string, StackService> {
  const names = redisNames(redisNodeCount(topology.redis));
  const entries: [string, StackService][] = names.map((name, i) => {
    const port = o.hostPorts.redis[i];
    if (port === undefined) {
      throw new LabError('UP_FAILED', `no host port for ${name} (${names.length} Redis nodes)`);
    }
    const service = redisStackService(topology, name, o.images.redis, port);
    return [name, pinRedis(service, i, o.nodes)];
  });
  if (topology.redis.kind === 'cluster') {
    const { replicasPerMaster } = topology.redis;
    entries.push([
      'redis-cluster-init',
      clusterInitStackService(o.images.redis, replicasPerMaster, names),
    ]);
  }
  return Object.fromEntries(entries);
}

/** The stack of `topology`: a pure function of the model and the options. */
export function renderStack(topology: Topology, o: StackRenderOptions): StackFile {
  const cluster = topology.redis.kind === 'cluster';
  const services: Record<string, StackService> = {
    postgres: postgresStackService(o.images.postgres, o.hostPorts.postgres),
    seed: seedStackService(o.images.app, o.seedUsers),
    ...redisServices(topology, o),
    [APP_SERVICE]: appStackService(
      topology,
      o.images.app,
      containerRedisEndpoints(topology),
      o.appLogLevel,
    ),
    ...(hasInvalidator(topology)
      ? {
          [INVALIDATOR_NAME]: invalidatorStackService(
            topology,
            o.images.app,
            containerRedisEndpoints(topology),
            o.appLogLevel,
          ),
        }
      : {}),
    nginx: nginxStackService(o.images.nginx, o.httpPort),
  };
  const f = o.files;
  return {
    version: '3.8',
    services,
    networks: { [STACK_NETWORK]: { driver: 'overlay', attachable: true } },
    configs: {
      [STACK_CONFIGS.nginx]: { file: f.nginxConf },
      ...(topology.redis.kind === 'none' || cluster
        ? {}
        : { [STACK_CONFIGS.redis]: { file: f.redisConf } }),
      ...(cluster
        ? {
            [STACK_CONFIGS.redisCluster]: { file: f.redisClusterConf },
            [STACK_CONFIGS.clusterInit]: { file: f.clusterInit },
          }
        : {}),
    },
    secrets: {
      [STACK_SECRETS.postgres]: { file: f.postgresPassword },
      ...(topology.redis.kind === 'none'
        ? {}
        : { [STACK_SECRETS.redis]: { file: f.redisPassword } }),
    },
    volumes: { [STACK_POSTGRES_VOLUME]: {} },
  };
}

/**
 * The order of deployment (swarm ignores depends_on): the data stores, then the one-shot jobs
 * (seed, cluster creation), then the app servers and nginx. Each phase is waited for before the next.
 */
export function stackPhases(stack: StackFile): string[][] {
  const names = Object.keys(stack.services);
  const jobs = ['seed', 'redis-cluster-init'].filter((n) => names.includes(n));
  // The invalidator drains the outbox the seed's schema creates: it starts with the app servers.
  const front = [APP_SERVICE, INVALIDATOR_NAME, 'nginx'].filter((n) => names.includes(n));
  const stores = names.filter((n) => !jobs.includes(n) && !front.includes(n));
  return [stores, jobs, front];
}

/** The stack with only the services `names` (the networks, configs, secrets and volumes stay). */
export function stackSubset(stack: StackFile, names: readonly string[]): StackFile {
  const services = Object.fromEntries(
    Object.entries(stack.services).filter(([name]) => names.includes(name)),
  );
  return { ...stack, services };
}

// `docker stack deploy` substitutes ${VAR} and $VAR: every `$` meant for the container's shell is doubled.
function escapeDollars<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('$', () => '$$') as T;
  if (Array.isArray(value)) return value.map(escapeDollars) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDollars(v)])) as T;
  }
  return value;
}

/** The stack file text `docker stack deploy -c` reads. */
export function stackYaml(stack: StackFile): string {
  const header =
    '# Generated by cachelab from the topology model for `docker stack deploy`. Do not edit.\n';
  return header + stringify(escapeDollars(stack), { lineWidth: 0, aliasDuplicateObjects: false });
}
