import { StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, type IContainer, Service } from 'kubernetes-models/v1';
import type { Topology } from '../../topology/model.ts';
import { redisNodeCount } from '../../topology/services.ts';
import { REDIS_CONF } from '../compose/base-services.ts';
import { CONTAINER_PORTS } from '../compose/compose-types.ts';
import { redisServerConfig } from '../redis/redis-config.ts';
import {
  type K8sObject,
  type K8sRenderOptions,
  labelsOf,
  RESTRICTED,
  resources,
  secretEnv,
  selectorOf,
} from './k8s-common.ts';

/** The StatefulSet (and headless Service) of the Redis nodes: pods redis-0, redis-1… */
export const REDIS_SET = 'redis';
const EXPORTER_PORT = 9121;
const CLUSTER_INIT = '/scripts/cluster-init.sh';

/** `redis-N.redis:6379`: the stable DNS name of Redis pod N through the headless Service. */
export const redisPodAddress = (index: number): string =>
  `${REDIS_SET}-${index}.${REDIS_SET}:${CONTAINER_PORTS.redis}`;

/** Where the app servers find Redis: one URL, or every pod (shards, cluster seeds). */
export function k8sRedisEndpoints(topology: Topology): { url?: string; nodes?: string[] } {
  const nodes = Array.from({ length: redisNodeCount(topology.redis) }, (_, i) =>
    redisPodAddress(i),
  );
  if (topology.redis.kind === 'none') return {};
  return topology.redis.kind === 'single' ? { url: `redis://${nodes[0]}` } : { nodes };
}

function redisArgs(topology: Topology): string[] {
  const cluster = topology.redis.kind === 'cluster';
  const settings = Object.entries(redisServerConfig(topology)).flatMap(([k, v]) => [`--${k}`, v]);
  // kubelet expands $(VAR) in args from the container's env.
  const auth = ['--requirepass', '$(REDIS_PASSWORD)', '--masterauth', '$(REDIS_PASSWORD)'];
  // MOVED replies carry the pod's stable name, which every pod of the namespace resolves.
  const announce = [
    '--cluster-announce-hostname',
    `$(POD_NAME).${REDIS_SET}`,
    '--cluster-preferred-endpoint-type',
    'hostname',
  ];
  return [
    cluster ? REDIS_CONF.cluster : REDIS_CONF.single,
    ...settings,
    ...auth,
    ...(cluster ? announce : []),
  ];
}

function redisContainer(topology: Topology, image: string): IContainer {
  const ping = ['sh', '-c', 'REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli ping | grep -q PONG'];
  return {
    name: 'redis',
    image,
    command: ['redis-server'],
    args: redisArgs(topology),
    env: [
      secretEnv('REDIS_PASSWORD'),
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ],
    ports: [
      { name: 'redis', containerPort: CONTAINER_PORTS.redis },
      ...(topology.redis.kind === 'cluster'
        ? [{ name: 'bus', containerPort: CONTAINER_PORTS.redis + 10_000 }]
        : []),
    ],
    readinessProbe: { exec: { command: ping }, periodSeconds: 5 },
    livenessProbe: { exec: { command: ping }, periodSeconds: 10, failureThreshold: 6 },
    resources: resources('100m', '300Mi', '500m', '384Mi'),
    volumeMounts: [{ name: 'conf', mountPath: '/usr/local/etc/redis' }],
  };
}

function exporterContainer(image: string): IContainer {
  return {
    name: 'exporter',
    image,
    env: [
      secretEnv('REDIS_PASSWORD'),
      { name: 'REDIS_ADDR', value: `redis://127.0.0.1:${CONTAINER_PORTS.redis}` },
    ],
    ports: [{ name: 'metrics', containerPort: EXPORTER_PORT }],
    resources: resources('25m', '32Mi', '250m', '64Mi'),
    securityContext: RESTRICTED,
  };
}

function redisStatefulSet(topology: Topology, o: K8sRenderOptions): StatefulSet {
  const labels = labelsOf(topology, REDIS_SET);
  return new StatefulSet({
    metadata: { name: REDIS_SET, labels },
    spec: {
      serviceName: REDIS_SET,
      replicas: redisNodeCount(topology.redis),
      // Every node starts at once: the cluster is formed by the init Job, not by start order.
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: selectorOf(REDIS_SET) },
      template: {
        metadata: { labels },
        spec: {
          // Nodes on different hosts when the cluster has them (a master and its replica apart).
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    topologyKey: 'kubernetes.io/hostname',
                    labelSelector: { matchLabels: selectorOf(REDIS_SET) },
                  },
                },
              ],
            },
          },
          containers: [
            redisContainer(topology, o.images.redis),
            exporterContainer(o.images.redisExporter),
          ],
          volumes: [{ name: 'conf', configMap: { name: 'redis-conf' } }],
        },
      },
    },
  });
}

function headlessService(topology: Topology): Service {
  return new Service({
    metadata: { name: REDIS_SET, labels: labelsOf(topology, REDIS_SET) },
    spec: {
      clusterIP: 'None',
      // Pods resolve before they are ready: the cluster init and gossip need each other's names.
      publishNotReadyAddresses: true,
      selector: selectorOf(REDIS_SET),
      ports: [
        { name: 'redis', port: CONTAINER_PORTS.redis, targetPort: 'redis' },
        { name: 'metrics', port: EXPORTER_PORT, targetPort: 'metrics' },
      ],
    },
  });
}

function clusterInitJob(topology: Topology, o: K8sRenderOptions, replicas: number): Job {
  const nodes = Array.from({ length: redisNodeCount(topology.redis) }, (_, i) =>
    redisPodAddress(i),
  );
  return new Job({
    metadata: { name: 'redis-cluster-init', labels: labelsOf(topology, 'redis-cluster-init') },
    spec: {
      backoffLimit: 10,
      template: {
        metadata: { labels: labelsOf(topology, 'redis-cluster-init') },
        spec: {
          restartPolicy: 'OnFailure',
          containers: [
            {
              name: 'init',
              image: o.images.redis,
              command: ['sh', CLUSTER_INIT, String(replicas), ...nodes],
              env: [secretEnv('REDIS_PASSWORD')],
              resources: resources('50m', '32Mi', '250m', '64Mi'),
              volumeMounts: [{ name: 'scripts', mountPath: '/scripts' }],
              securityContext: RESTRICTED,
            },
          ],
          volumes: [{ name: 'scripts', configMap: { name: 'redis-cluster-init' } }],
        },
      },
    },
  });
}

/** Redis for `topology`: a StatefulSet with an exporter beside each node, the headless Service, the conf, and for a cluster the init Job. */
export function redisObjects(topology: Topology, o: K8sRenderOptions): K8sObject[] {
  if (topology.redis.kind === 'none') return [];
  const conf = new ConfigMap({
    metadata: { name: 'redis-conf', labels: labelsOf(topology, REDIS_SET) },
    data: { 'redis.conf': o.redisConf, 'redis-cluster.conf': o.redisClusterConf },
  });
  const objects: K8sObject[] = [conf, redisStatefulSet(topology, o), headlessService(topology)];
  if (topology.redis.kind === 'cluster') {
    const script = new ConfigMap({
      metadata: { name: 'redis-cluster-init', labels: labelsOf(topology, 'redis-cluster-init') },
      data: { 'cluster-init.sh': o.clusterInitScript },
    });
    objects.push(script, clusterInitJob(topology, o, topology.redis.replicasPerMaster));
  }
  return objects;
}
