import { StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { Service } from 'kubernetes-models/v1';
import type { Topology } from '../../topology/model.ts';
import { CONTAINER_PORTS, POSTGRES } from '../compose/compose-types.ts';
import { SEED_AND_ANALYZE_SCRIPT } from '../swarm/stack-services.ts';
import {
  type K8sImages,
  type K8sObject,
  labelsOf,
  RESTRICTED,
  resources,
  secretEnv,
  selectorOf,
} from './k8s-common.ts';

const EXPORTER_PORT = 9187;

/** The database URL inside the cluster; kubelet expands $(POSTGRES_PASSWORD) from the env above it. */
export const K8S_DATABASE_URL = `postgres://${POSTGRES.user}:$(POSTGRES_PASSWORD)@postgres:${CONTAINER_PORTS.postgres}/${POSTGRES.db}`;

function postgresStatefulSet(topology: Topology, images: K8sImages): StatefulSet {
  const { user, db } = POSTGRES;
  const probe = {
    exec: { command: ['pg_isready', '-q', '-h', '127.0.0.1', '-U', user, '-d', db] },
  };
  return new StatefulSet({
    metadata: { name: 'postgres', labels: labelsOf(topology, 'postgres') },
    spec: {
      serviceName: 'postgres',
      replicas: 1,
      selector: { matchLabels: selectorOf('postgres') },
      template: {
        metadata: { labels: labelsOf(topology, 'postgres') },
        spec: {
          containers: [
            {
              name: 'postgres',
              image: images.postgres,
              args: ['-c', 'max_connections=200', '-c', 'shared_buffers=256MB'],
              env: [
                { name: 'POSTGRES_USER', value: user },
                { name: 'POSTGRES_DB', value: db },
                // A subfolder: a fresh volume's lost+found must not be in the data directory.
                { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
                secretEnv('POSTGRES_PASSWORD'),
              ],
              ports: [{ name: 'postgres', containerPort: CONTAINER_PORTS.postgres }],
              readinessProbe: { ...probe, periodSeconds: 5 },
              livenessProbe: { ...probe, periodSeconds: 10, failureThreshold: 6 },
              resources: resources('250m', '512Mi', '1500m', '1Gi'),
              volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
            },
            {
              name: 'exporter',
              image: images.postgresExporter,
              env: [
                secretEnv('POSTGRES_PASSWORD'),
                {
                  name: 'DATA_SOURCE_NAME',
                  value: `postgresql://${user}:$(POSTGRES_PASSWORD)@127.0.0.1:${CONTAINER_PORTS.postgres}/${db}?sslmode=disable`,
                },
              ],
              ports: [{ name: 'metrics', containerPort: EXPORTER_PORT }],
              resources: resources('25m', '32Mi', '250m', '64Mi'),
              securityContext: RESTRICTED,
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } },
        },
      ],
    },
  });
}

function postgresService(topology: Topology): Service {
  return new Service({
    metadata: { name: 'postgres', labels: labelsOf(topology, 'postgres') },
    spec: {
      selector: selectorOf('postgres'),
      ports: [
        { name: 'postgres', port: CONTAINER_PORTS.postgres, targetPort: 'postgres' },
        { name: 'metrics', port: EXPORTER_PORT, targetPort: 'metrics' },
      ],
    },
  });
}

/** Schema and deterministic seed; retried until Postgres answers (the Job's backoff). */
function seedJob(topology: Topology, images: K8sImages): Job {
  return new Job({
    metadata: { name: 'seed', labels: labelsOf(topology, 'seed') },
    spec: {
      backoffLimit: 10,
      template: {
        metadata: { labels: labelsOf(topology, 'seed') },
        spec: {
          restartPolicy: 'OnFailure',
          containers: [
            {
              name: 'seed',
              image: images.app,
              command: ['node', '--input-type=module', '-e', SEED_AND_ANALYZE_SCRIPT],
              env: [
                secretEnv('POSTGRES_PASSWORD'),
                { name: 'DATABASE_URL', value: K8S_DATABASE_URL },
                { name: 'SEED_USERS', value: String(topology.postgres.seedUsers) },
              ],
              resources: resources('250m', '256Mi', '1', '512Mi'),
              securityContext: RESTRICTED,
            },
          ],
        },
      },
    },
  });
}

/** Postgres (StatefulSet with its exporter, Service) and the seed Job. */
export function postgresObjects(topology: Topology, images: K8sImages): K8sObject[] {
  return [
    postgresStatefulSet(topology, images),
    postgresService(topology),
    seedJob(topology, images),
  ];
}
