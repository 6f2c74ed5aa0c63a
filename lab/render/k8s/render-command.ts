import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../../repo-root.ts';
import { getTopology } from '../../topology/catalog.ts';
import { writeGenerated } from '../generated-files.ts';
import { K8S_EXAMPLES_DIR, type K8sChoices, renderK8sFolder } from './k8s-examples.ts';
import { LOADTEST_DIR } from './render-k8s.ts';

/** What `cachelab render k8s` was asked for. */
export interface RenderK8sFlags extends K8sChoices {
  topology: string;
  /** Folder to write; default deploy/k8s/<topology>. */
  out?: string;
}

/**
 * `cachelab render k8s <topology>`: writes the kustomize folder of the topology (manifests from typed
 * objects, each validated against its schema) and returns the folder and what to run next.
 */
export async function renderK8sCommand(
  flags: RenderK8sFlags,
): Promise<{ dir: string; next: string[] }> {
  const topology = getTopology(flags.topology);
  const dir = resolve(flags.out ?? join(REPO_ROOT, K8S_EXAMPLES_DIR, topology.name));
  const files = renderK8sFolder(topology, flags);
  await writeGenerated({ files, ownedDirs: ['.'] }, dir);
  return {
    dir,
    next: [
      `kubectl kustomize ${dir}            # render offline`,
      `kubectl apply -k ${dir}             # deploy (a cluster with the Prometheus Operator CRDs)`,
      `kubectl apply -k ${join(dir, LOADTEST_DIR)}    # then the k6-operator TestRun`,
    ],
  };
}
