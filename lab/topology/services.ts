import { LabError } from '../lab-errors.ts';
import { appServerId, hasInvalidator, INVALIDATOR_NAME } from './app-env.ts';
import type { RedisLayout, Topology } from './model.ts';

/** The exporters the lab runs beside a topology (also their compose service names). */
export const EXPORTER_NAMES = ['redis-exporter', 'postgres-exporter', 'nginx-exporter'] as const;

/** One exporter name. */
export type ExporterName = (typeof EXPORTER_NAMES)[number];

/** Something Prometheus scrapes (or, for a Redis node, scrapes through the Redis exporter). */
export type ObservedService =
  | { kind: 'app'; name: string }
  | { kind: 'redis'; name: string }
  | { kind: 'invalidator'; name: string }
  | { kind: 'exporter'; name: ExporterName };

/**
 * Where Prometheus reaches a service, as `host:port`: 127.0.0.1 and a free port natively, the service's
 * DNS name in compose. The one thing that differs between the two, so both configs share one renderer.
 */
export type AddressResolver = (service: ObservedService) => string;

/** Number of Redis processes a layout runs (a cluster counts its replicas). */
export function redisNodeCount(layout: RedisLayout): number {
  switch (layout.kind) {
    case 'none':
      return 0;
    case 'single':
      return 1;
    case 'shards':
      return layout.count;
    case 'cluster':
      return layout.masters * (1 + layout.replicasPerMaster);
  }
}

/** The `redis_node` label (and driver service name) of Redis node `index` (0-based): redis-1, redis-2… */
export function redisNodeName(index: number): string {
  return `redis-${index + 1}`;
}

/** The exporters `topology` needs: no Redis exporter without Redis. */
export function exportersOf(topology: Topology): ExporterName[] {
  return EXPORTER_NAMES.filter((e) => e !== 'redis-exporter' || topology.redis.kind !== 'none');
}

/** Every service of `topology` Prometheus observes, derived from the model alone. */
export function observedServices(topology: Topology): ObservedService[] {
  const apps = Array.from({ length: topology.appServers }, (_, i) => appServerId(i));
  const redis = Array.from({ length: redisNodeCount(topology.redis) }, (_, i) => redisNodeName(i));
  return [
    ...apps.map((name) => ({ kind: 'app' as const, name })),
    ...redis.map((name) => ({ kind: 'redis' as const, name })),
    ...(hasInvalidator(topology) ? [{ kind: 'invalidator' as const, name: INVALIDATOR_NAME }] : []),
    ...exportersOf(topology).map((name) => ({ kind: 'exporter' as const, name })),
  ];
}

/** A resolver reading `host:port` from a name → address map; a service the map lacks is an error. */
export function mapResolver(addresses: Readonly<Record<string, string>>): AddressResolver {
  return (service) => {
    const address = addresses[service.name];
    if (address === undefined) {
      throw new LabError(
        'UP_FAILED',
        `no address for ${service.kind} ${service.name}: the running services do not match the topology`,
        { details: { service: service.name, known: Object.keys(addresses) } },
      );
    }
    return address;
  };
}

/** Container ports of the compose services (the images' defaults). */
export const COMPOSE_PORTS = {
  app: 3000,
  redis: 6379,
  'redis-exporter': 9121,
  'postgres-exporter': 9187,
  'nginx-exporter': 9113,
} as const;

/** Compose addressing: each service by its DNS name (app-1, redis-1, redis-exporter…) and container port. */
export function composeResolver(ports: Partial<typeof COMPOSE_PORTS> = {}): AddressResolver {
  const all = { ...COMPOSE_PORTS, ...ports };
  return (service) => {
    if (service.kind === 'exporter') return `${service.name}:${all[service.name]}`;
    // The invalidator is the app image with its own entry point: it serves /metrics on the app's port.
    const port = service.kind === 'redis' ? all.redis : all.app;
    return `${service.name}:${port}`;
  };
}
