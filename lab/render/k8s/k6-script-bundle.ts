import { buildSync } from 'esbuild';
import { REPO_ROOT } from '../../repo-root.ts';

/** The lab's k6 script, entry of the bundle. */
export const K6_SCRIPT_ENTRY = 'loadtests/k6/profile-load.ts';

/**
 * The k6 script and the lab modules it imports (workload, result assembly) as one ES module: a
 * ConfigMap holds flat files, so the TestRun cannot follow `../workload.ts`. k6 modules stay imports.
 * Deterministic (same sources, same text), so the committed examples can be checked for drift.
 */
export function bundleK6Script(): string {
  const result = buildSync({
    entryPoints: [K6_SCRIPT_ENTRY],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    external: ['k6', 'k6/*'],
    write: false,
    legalComments: 'none',
    charset: 'utf8',
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error('esbuild produced no output for the k6 script');
  return `// Bundled by cachelab from ${K6_SCRIPT_ENTRY} for a k6-operator TestRun. Do not edit.\n${file.text}`;
}
