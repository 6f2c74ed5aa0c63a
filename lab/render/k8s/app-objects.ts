import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { appServerEnv, hasInvalidator, INVALIDATOR_NAME } from '../../topology/app-env.ts';
import type { Topology } from '../../topology/model.ts';
import { CONTAINER_PORTS } from '../compose/compose-types.ts';
import { STATUS_ALLOW } from '../compose/render-compose.ts';
import { renderNginxConfig } from '../nginx/render-nginx.ts';
import { invalidatorObjects } from './invalidator-objects.ts';
import {
  type K8sObject,
  type K8sRenderOptions,
  labelsOf,
  RESTRICTED,
  resources,
  selectorOf,
} from './k8s-common.ts';
import { modelEnv } from './model-env.ts';
import { K8S_DATABASE_URL } from './postgres-objects.ts';
import { k8sRedisEndpoints } from './redis-objects.ts';

/** The cluster DNS server nginx asks (its name is resolved once, at nginx start). */
export const KUBE_DNS = 'kube-dns.kube-system.svc.cluster.local';

function appEnv(topology: Topology) {
  const values = appServerEnv(topology, {
    index: 0,
    port: CONTAINER_PORTS.app,
    host: '0.0.0.0',
    databaseUrl: K8S_DATABASE_URL,
    redis: k8sRedisEndpoints(topology),
    diskCacheDir: '/app/.lab/disk-cache',
  });
  // SERVER_ID is the pod's name (X-Served-By); the rest comes from the model, as in every driver.
  const { SERVER_ID: _, DISK_CACHE_PATH: __, ...rest } = values;
  return [
    { name: 'SERVER_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'DISK_CACHE_PATH', value: '/app/.lab/disk-cache/$(SERVER_ID)' },
    ...modelEnv(topology, rest),
  ];
}

function appDeployment(topology: Topology, o: K8sRenderOptions): Deployment {
  const labels = labelsOf(topology, 'app');
  const http = (path: string) => ({ httpGet: { path, port: 'http' } });
  return new Deployment({
    metadata: { name: 'app', labels },
    spec: {
      replicas: topology.appServers,
      selector: { matchLabels: selectorOf('app') },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels },
        spec: {
          // Above the app's SHUTDOWN_GRACE_MS (10 s): it drains, then exits on its own.
          terminationGracePeriodSeconds: 15,
          containers: [
            {
              name: 'app',
              image: o.images.app,
              env: appEnv(topology),
              ports: [{ name: 'http', containerPort: CONTAINER_PORTS.app }],
              readinessProbe: { ...http('/readyz'), periodSeconds: 2, failureThreshold: 2 },
              livenessProbe: { ...http('/healthz'), periodSeconds: 10, failureThreshold: 3 },
              startupProbe: { ...http('/healthz'), periodSeconds: 2, failureThreshold: 60 },
              resources: resources('250m', '256Mi', '1', '768Mi'),
              securityContext: RESTRICTED,
            },
          ],
        },
      },
    },
  });
}

function appService(topology: Topology): Service {
  return new Service({
    metadata: { name: 'app', labels: labelsOf(topology, 'app') },
    spec: {
      // Headless: the name resolves to every ready pod, and nginx balances (hash, least-conn) itself.
      clusterIP: 'None',
      selector: selectorOf('app'),
      ports: [{ name: 'http', port: CONTAINER_PORTS.app, targetPort: 'http' }],
    },
  });
}

function appDisruptionBudget(topology: Topology): PodDisruptionBudget {
  return new PodDisruptionBudget({
    metadata: { name: 'app', labels: labelsOf(topology, 'app') },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorOf('app') } },
  });
}

/** nginx.conf for Kubernetes: the same renderer, the headless app Service re-resolved every 5 s. */
export function renderK8sNginx(topology: Topology, namespace: string): string {
  return renderNginxConfig(topology, {
    listenPort: CONTAINER_PORTS.nginx,
    listenHost: '0.0.0.0',
    upstreams: [],
    prefix: '/tmp',
    tempDir: '/tmp',
    stdioLogs: true,
    statusAllow: STATUS_ALLOW,
    dynamic: {
      mode: 'resolve',
      address: `app.${namespace}.svc.cluster.local:${CONTAINER_PORTS.app}`,
      resolver: KUBE_DNS,
      valid: '5s',
    },
  });
}

function nginxObjects(topology: Topology, o: K8sRenderOptions): K8sObject[] {
  const labels = labelsOf(topology, 'nginx');
  const conf = new ConfigMap({
    metadata: { name: 'nginx-conf', labels },
    data: { 'nginx.conf': renderK8sNginx(topology, o.namespace) },
  });
  const tcp = { tcpSocket: { port: 'http' } };
  const deployment = new Deployment({
    metadata: { name: 'nginx', labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: selectorOf('nginx') },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: o.images.nginx,
              ports: [{ name: 'http', containerPort: CONTAINER_PORTS.nginx }],
              readinessProbe: { ...tcp, periodSeconds: 2 },
              livenessProbe: { ...tcp, periodSeconds: 10 },
              resources: resources('100m', '64Mi', '1', '128Mi'),
              volumeMounts: [
                { name: 'conf', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf' },
              ],
            },
          ],
          volumes: [{ name: 'conf', configMap: { name: 'nginx-conf' } }],
        },
      },
    },
  });
  const service = new Service({
    metadata: { name: 'nginx', labels },
    spec: {
      selector: selectorOf('nginx'),
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    },
  });
  return [conf, deployment, service];
}

/**
 * ServiceMonitors (Prometheus Operator) of the app servers, the outbox invalidator when the mode has
 * one, and the Redis and Postgres exporters.
 */
function serviceMonitors(topology: Topology): ServiceMonitor[] {
  const monitor = (component: string, port: string) =>
    new ServiceMonitor({
      metadata: { name: component, labels: labelsOf(topology, component) },
      spec: {
        selector: { matchLabels: selectorOf(component) },
        endpoints: [{ port, path: '/metrics', interval: '15s' }],
      },
    });
  return [
    monitor('app', 'http'),
    ...(hasInvalidator(topology) ? [monitor(INVALIDATOR_NAME, 'http')] : []),
    ...(topology.redis.kind === 'none' ? [] : [monitor('redis', 'metrics')]),
    monitor('postgres', 'metrics'),
  ];
}

/** The app servers (Deployment, headless Service, PodDisruptionBudget), the invalidator, nginx in front. */
export function frontObjects(topology: Topology, o: K8sRenderOptions): K8sObject[] {
  return [
    appDeployment(topology, o),
    appService(topology),
    appDisruptionBudget(topology),
    ...invalidatorObjects(topology, o),
    ...nginxObjects(topology, o),
  ];
}

/** The monitoring objects (need the Prometheus Operator's CRDs). */
export const monitoringObjects = (topology: Topology): K8sObject[] => serviceMonitors(topology);
