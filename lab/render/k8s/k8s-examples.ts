import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../repo-root.ts';
import { getTopology } from '../../topology/catalog.ts';
import type { Topology } from '../../topology/model.ts';
import { parseEnvFile, requireValue } from '../compose/pins.ts';
import type { GeneratedFile, GeneratedSet } from '../generated-files.ts';
import { bundleK6Script } from './k6-script-bundle.ts';
import type { K8sImages, K8sRenderOptions } from './k8s-common.ts';
import { renderK8s } from './render-k8s.ts';

/** Topologies whose folders are committed under deploy/k8s/ (and checked for drift). */
export const K8S_EXAMPLES = ['global', 'two-tier', 'global-cluster'] as const;

/** Where the committed example folders live, relative to the repository. */
export const K8S_EXAMPLES_DIR = 'deploy/k8s';

/** What a user may choose when rendering (the rest comes from the model and the pins). */
export interface K8sChoices {
  namespace?: string;
  /** The app image as the cluster pulls it (the lab builds cachelab/app locally; push it somewhere). */
  appImage?: string;
  parallelism?: number;
  rate?: number;
  durationSec?: number;
  warmupSec?: number;
  workload?: string;
}

const read = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8');

/** The official images from the pins file (compose/.env): Kubernetes pulls from registries. */
export function pinnedImages(appImage?: string): K8sImages {
  const pins = parseEnvFile(read('compose/.env'), 'compose/.env');
  const pin = (key: string) => requireValue(pins, key, 'compose/.env');
  return {
    nginx: pin('CACHELAB_NGINX_IMAGE'),
    app: appImage ?? pin('CACHELAB_APP_IMAGE'),
    postgres: pin('CACHELAB_POSTGRES_IMAGE'),
    redis: pin('CACHELAB_REDIS_IMAGE'),
    redisExporter: pin('CACHELAB_REDIS_EXPORTER_IMAGE'),
    postgresExporter: pin('CACHELAB_POSTGRES_EXPORTER_IMAGE'),
    k6: pin('CACHELAB_K6_IMAGE'),
  };
}

/** Render options from the repository's files (pins, Redis confs, cluster script, k6 bundle). */
export function k8sOptions(choices: K8sChoices = {}): K8sRenderOptions {
  return {
    namespace: choices.namespace ?? 'cachelab',
    images: pinnedImages(choices.appImage),
    load: {
      workload: choices.workload ?? 'read-heavy',
      rate: choices.rate ?? 300,
      durationSec: choices.durationSec ?? 60,
      warmupSec: choices.warmupSec ?? 10,
      parallelism: choices.parallelism ?? 2,
    },
    redisConf: read('services/redis/redis.conf'),
    redisClusterConf: read('services/redis/redis-cluster.conf'),
    clusterInitScript: read('compose/redis/cluster-init.sh'),
    k6Script: bundleK6Script(),
  };
}

/** The kustomize folder of one topology with the repository's files. */
export function renderK8sFolder(topology: Topology, choices: K8sChoices = {}): GeneratedFile[] {
  return renderK8s(topology, k8sOptions(choices));
}

/** The committed example folders (deploy/k8s/<topology>/), as one generator's output for `make generate`. */
export function k8sExampleSet(): GeneratedSet {
  const options = k8sOptions();
  const files = K8S_EXAMPLES.flatMap((name) =>
    renderK8s(getTopology(name), options).map((f) => ({
      path: `${K8S_EXAMPLES_DIR}/${name}/${f.path}`,
      text: f.text,
    })),
  );
  return { files, ownedDirs: [K8S_EXAMPLES_DIR] };
}
