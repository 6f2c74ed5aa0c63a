import { stringify } from 'yaml';
import { hasInvalidator } from '../../topology/app-env.ts';
import { CATALOG } from '../../topology/catalog.ts';
import type { Topology } from '../../topology/model.ts';
import { redisNodeCount } from '../../topology/services.ts';
import type { GeneratedFile } from '../generated-files.ts';
import { renderNginxConfig } from '../nginx/render-nginx.ts';
import {
  appNames,
  appService,
  clusterInitService,
  nginxService,
  POSTGRES_VOLUME,
  postgresService,
  redisNames,
  redisService,
  seedService,
} from './base-services.ts';
import {
  COMPOSE_PATHS,
  CONTAINER_PORTS,
  type ComposeFile,
  type ComposeService,
  IMAGE_FAMILIES,
  type ImageFamily,
  imageVariable,
  NO_OFFLINE_IMAGE,
  offlineImageVariable,
  ref,
} from './compose-types.ts';
import {
  FAULT_PROXY_SERVICE,
  faultProxyConfigJson,
  faultProxyService,
  networkOverlay,
  offlineFaultProxyService,
  proxiedNginxUpstreams,
} from './fault-proxy-service.ts';
import { usageHeader } from './headers.ts';
import { INVALIDATOR_SERVICE, invalidatorService } from './invalidator-service.ts';
import { k6Service, observabilityOf, observabilityServices } from './observability-services.ts';
import { topologyOverlay } from './topology-overlay.ts';

export type { GeneratedFile };

/** Private networks nginx lets read /nginx_status: the compose network, for the nginx exporter. */
export const STATUS_ALLOW = ['127.0.0.1', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

// No anchors/aliases: every service reads on its own.
const yaml = (doc: ComposeFile): string =>
  stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });

/** compose.yaml: every service any catalog topology runs; topology-specific ones start at scale 0. */
export function renderBase(catalog: readonly Topology[]): ComposeFile {
  const maxApps = Math.max(...catalog.map((t) => t.appServers));
  const maxRedis = Math.max(...catalog.map((t) => redisNodeCount(t.redis)));
  const withRedis = catalog.find((t) => t.redis.kind !== 'none') ?? catalog[0];
  if (!withRedis) throw new Error('renderBase: the catalog is empty');
  const anyCluster = catalog.some((t) => t.redis.kind === 'cluster');
  const services: Record<string, ComposeService> = {
    nginx: nginxService(),
    postgres: postgresService(),
    seed: seedService(),
    ...Object.fromEntries(appNames(maxApps).map((name) => [name, appService()])),
    ...(catalog.some(hasInvalidator) ? { [INVALIDATOR_SERVICE]: invalidatorService() } : {}),
    ...Object.fromEntries(redisNames(maxRedis).map((name) => [name, redisService()])),
    ...(anyCluster ? { 'redis-cluster-init': clusterInitService() } : {}),
    ...observabilityServices(withRedis),
    k6: k6Service(),
    [FAULT_PROXY_SERVICE]: faultProxyService(),
  };
  return { services, volumes: { [POSTGRES_VOLUME]: {} } };
}

function familyOf(image: string | undefined): ImageFamily | undefined {
  return IMAGE_FAMILIES.find((f) => image === ref(imageVariable(f)));
}

// Compose v1 pulls the image of every service of the active profiles, even at scale 0: a service
// without an offline build gets the (local) offline base image, so nothing is pulled, and stays off.
const OFF: ComposeService = { image: ref('CACHELAB_OFFLINE_BASE_IMAGE'), scale: 0 };

/** compose.offline.yaml: each image swapped for its offline build; Grafana and k6 (none) kept off. */
export function renderOffline(base: ComposeFile): ComposeFile {
  const entries = Object.entries(base.services).flatMap(([name, service]) => {
    const family = familyOf(service.image);
    if (family === undefined) return [];
    const swapped: ComposeService = NO_OFFLINE_IMAGE.includes(family)
      ? OFF
      : { image: ref(offlineImageVariable(family)) };
    return [[name, swapped] as const];
  });
  const proxy = base.services[FAULT_PROXY_SERVICE]
    ? [[FAULT_PROXY_SERVICE, offlineFaultProxyService()]]
    : [];
  return { services: Object.fromEntries([...entries, ...proxy]) };
}

/**
 * nginx.conf of `topology` in compose: upstreams by service DNS name (or `upstreams`, the proxies in
 * front of the app servers), logs to stdout/stderr.
 */
export function renderComposeNginx(
  topology: Topology,
  upstreams = appNames(topology.appServers).map((name) => `${name}:${CONTAINER_PORTS.app}`),
): string {
  return renderNginxConfig(topology, {
    listenPort: CONTAINER_PORTS.nginx,
    listenHost: '0.0.0.0',
    upstreams,
    prefix: '/tmp',
    tempDir: '/tmp',
    stdioLogs: true,
    statusAllow: STATUS_ALLOW,
  });
}

function topologyFiles(topology: Topology): GeneratedFile[] {
  return [
    {
      path: COMPOSE_PATHS.overlay(topology.name),
      text: usageHeader('overlay', topology) + yaml(topologyOverlay(topology)),
    },
    { path: COMPOSE_PATHS.nginx(topology.name), text: renderComposeNginx(topology) },
    {
      path: COMPOSE_PATHS.prometheus(topology.name),
      text: observabilityOf(topology).prometheusYaml,
    },
    {
      path: COMPOSE_PATHS.network(topology.name),
      text: usageHeader('network', topology) + yaml(networkOverlay(topology)),
    },
    {
      path: COMPOSE_PATHS.networkNginx(topology.name),
      text: renderComposeNginx(topology, proxiedNginxUpstreams(topology)),
    },
    { path: COMPOSE_PATHS.faultProxy(topology.name), text: faultProxyConfigJson(topology) },
  ];
}

/** Every generated compose file, derived from the catalog alone (pure: same model, same text). */
export function renderComposeFiles(catalog: readonly Topology[] = CATALOG): GeneratedFile[] {
  const base = renderBase(catalog);
  return [
    { path: COMPOSE_PATHS.base, text: usageHeader('base') + yaml(base) },
    { path: COMPOSE_PATHS.offline, text: usageHeader('offline') + yaml(renderOffline(base)) },
    ...catalog.flatMap(topologyFiles),
  ];
}
