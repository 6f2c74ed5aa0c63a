import type { IContainer } from 'kubernetes-models/v1';
import type { Topology } from '../../topology/model.ts';

/** A typed Kubernetes object that checks itself against its JSON schema and serializes to JSON. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
  validate(): void;
  toJSON(): unknown;
}

/** Images of the manifests (official pins; the app image must be pushed to a registry the cluster reaches). */
export interface K8sImages {
  nginx: string;
  app: string;
  postgres: string;
  redis: string;
  redisExporter: string;
  postgresExporter: string;
  k6: string;
}

/** What renderK8s needs besides the model. */
export interface K8sRenderOptions {
  namespace: string;
  images: K8sImages;
  /** Load of the TestRun: k6-operator splits the arrival rate over `parallelism` runner pods. */
  load: {
    workload: string;
    rate: number;
    durationSec: number;
    warmupSec: number;
    parallelism: number;
  };
  /** Text of services/redis/redis.conf and redis-cluster.conf, and of compose/redis/cluster-init.sh. */
  redisConf: string;
  redisClusterConf: string;
  clusterInitScript: string;
  /** The lab's k6 script bundled into one file (a ConfigMap holds flat files only). */
  k6Script: string;
}

/** The Secret kustomize generates; its keys are referenced by every workload that needs a password. */
export const SECRET_NAME = 'cachelab-secrets';

/** Labels every object of the lab carries; `component` selects a workload's pods. */
export function labelsOf(topology: Topology, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': component,
    'app.kubernetes.io/part-of': 'cachelab',
    'cachelab.dev/topology': topology.name,
  };
}

/** The selector of a component's pods (a subset of labelsOf, stable across topologies). */
export const selectorOf = (component: string): Record<string, string> => ({
  'app.kubernetes.io/name': component,
  'app.kubernetes.io/part-of': 'cachelab',
});

/** An environment variable read from the lab's Secret. */
export function secretEnv(name: 'POSTGRES_PASSWORD' | 'REDIS_PASSWORD') {
  return { name, valueFrom: { secretKeyRef: { name: SECRET_NAME, key: name } } };
}

/** Requests (what the scheduler reserves) and limits (the cap), like the compose limits. */
export function resources(cpu: string, memory: string, limitCpu: string, limitMemory: string) {
  return { requests: { cpu, memory }, limits: { cpu: limitCpu, memory: limitMemory } };
}

/** Runs as a non-root user with no privilege escalation where the image allows it. */
export const RESTRICTED: IContainer['securityContext'] = {
  allowPrivilegeEscalation: false,
};
