import { Deployment } from 'kubernetes-models/apps/v1';
import { Service } from 'kubernetes-models/v1';
import { hasInvalidator, INVALIDATOR_NAME, invalidatorEnv } from '../../topology/app-env.ts';
import type { Topology } from '../../topology/model.ts';
import { CONTAINER_PORTS } from '../compose/compose-types.ts';
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

function invalidatorEnvVars(topology: Topology) {
  const values = invalidatorEnv(topology, {
    port: CONTAINER_PORTS.app,
    host: '0.0.0.0',
    databaseUrl: K8S_DATABASE_URL,
    redis: k8sRedisEndpoints(topology),
  });
  return modelEnv(topology, values);
}

function invalidatorDeployment(topology: Topology, o: K8sRenderOptions): Deployment {
  const labels = labelsOf(topology, INVALIDATOR_NAME);
  const http = (path: string) => ({ httpGet: { path, port: 'http' } });
  return new Deployment({
    metadata: { name: INVALIDATOR_NAME, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: selectorOf(INVALIDATOR_NAME) },
      // One drainer at a time is enough; the outbox is durable, so the gap of a restart loses nothing.
      strategy: { type: 'Recreate' },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: INVALIDATOR_NAME,
              image: o.images.app,
              args: ['node', '--enable-source-maps', 'dist/services/invalidator/src/main.js'],
              env: invalidatorEnvVars(topology),
              ports: [{ name: 'http', containerPort: CONTAINER_PORTS.app }],
              livenessProbe: { ...http('/healthz'), periodSeconds: 10, failureThreshold: 3 },
              startupProbe: { ...http('/healthz'), periodSeconds: 2, failureThreshold: 60 },
              resources: resources('50m', '64Mi', '500m', '256Mi'),
              securityContext: RESTRICTED,
            },
          ],
        },
      },
    },
  });
}

function invalidatorService(topology: Topology): Service {
  return new Service({
    metadata: { name: INVALIDATOR_NAME, labels: labelsOf(topology, INVALIDATOR_NAME) },
    spec: {
      selector: selectorOf(INVALIDATOR_NAME),
      ports: [{ name: 'http', port: CONTAINER_PORTS.app, targetPort: 'http' }],
    },
  });
}

/** The outbox invalidator (Deployment of one, Service for its /metrics) when the mode has an outbox. */
export function invalidatorObjects(topology: Topology, o: K8sRenderOptions): K8sObject[] {
  if (!hasInvalidator(topology)) return [];
  return [invalidatorDeployment(topology, o), invalidatorService(topology)];
}
