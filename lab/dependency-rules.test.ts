import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './repo-root.ts';

const run = promisify(execFile);
const DEPCRUISE = join(REPO_ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const MODULE_RULES = join(REPO_ROOT, '.dependency-cruiser.cjs');
const FOLDER_RULES = join(REPO_ROOT, '.dependency-cruiser-folders.cjs');

/** A tree laid out like the repository: each file imports the paths listed. */
const FIXTURE: Record<string, string[]> = {
  'lab/lab-errors.ts': [],
  'lab/text/table.ts': [],
  // a base module may not lean on a layer
  'lab/text/format.ts': ['lab/topology/model.ts'],
  'lab/topology/model.ts': ['lab/lab-errors.ts'],
  // against the flow: topology reaches up into render
  'lab/topology/catalog.ts': ['lab/topology/model.ts', 'lab/render/nginx/render-nginx.ts'],
  'lab/render/nginx/render-nginx.ts': ['lab/topology/model.ts', 'lab/text/table.ts'],
  // a new folder under lab/render is render too, so it may not import a driver
  'lab/render/k8s/manifests.ts': ['lab/run/driver/swarm/driver.ts'],
  'lab/run/driver/driver-types.ts': ['lab/topology/model.ts'],
  'lab/run/driver/swarm/driver.ts': [
    'lab/run/driver/driver-types.ts',
    'lab/render/nginx/render-nginx.ts',
  ],
  // two run folders that import each other
  'lab/run/observe/hook.ts': ['lab/run/driver/driver-types.ts'],
  'lab/run/driver/observe-bridge.ts': ['lab/run/observe/hook.ts'],
  'lab/measure/capacity/ramp.ts': ['lab/run/driver/driver-types.ts'],
  // a domain module calling into the CLI
  'lab/compare/compare.ts': ['lab/measure/capacity/ramp.ts', 'lab/cli/output.ts'],
  // a new analysis folder may use compare, not the reverse
  'lab/scenario/timeline.ts': ['lab/compare/compare.ts', 'lab/text/table.ts'],
  'lab/cli/output.ts': ['lab/text/table.ts'],
  'lab/cli/main.ts': ['lab/scenario/timeline.ts', 'lab/cli/output.ts'],
  // the app and the dashboards stay out of the harness
  'services/invalidator/main.ts': ['lab/topology/model.ts'],
  'loadtests/runner/run-load.ts': ['lab/cli/output.ts'],
  'dashboards/src/panels.ts': [
    'lab/render/nginx/render-nginx.ts',
    'lab/run/driver/driver-types.ts',
  ],
};

/** Module-rule violations the fixture must produce, as `rule: from → to`. */
const EXPECTED = [
  'topology-imports-upward: lab/topology/catalog.ts → lab/render/nginx/render-nginx.ts',
  'render-imports-upward: lab/render/k8s/manifests.ts → lab/run/driver/swarm/driver.ts',
  'analysis-imports-upward: lab/compare/compare.ts → lab/cli/output.ts',
  'only-cli-imports-cli: lab/compare/compare.ts → lab/cli/output.ts',
  'services-and-loadtests-import-no-lab: services/invalidator/main.ts → lab/topology/model.ts',
  'services-and-loadtests-import-no-lab: loadtests/runner/run-load.ts → lab/cli/output.ts',
  'only-cli-imports-cli: loadtests/runner/run-load.ts → lab/cli/output.ts',
  'base-imports-a-layer: lab/text/format.ts → lab/topology/model.ts',
  'dashboards-import-topology-and-render-only: dashboards/src/panels.ts → lab/run/driver/driver-types.ts',
].sort();

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

let root = '';

async function cruise(config: string): Promise<string[]> {
  const args = [
    DEPCRUISE,
    'lab',
    'services',
    'loadtests',
    'dashboards',
    '-c',
    config,
    '-T',
    'json',
  ];
  // depcruise exits with the number of errors, so a failing run is the expected outcome here.
  const out = await run(process.execPath, args, { cwd: root }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  const result = JSON.parse(out.stdout) as { summary: { violations: Violation[] } };
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cachelab-layers-'));
  for (const [file, imports] of Object.entries(FIXTURE)) {
    const lines = imports.map((target, i) => {
      const rel = join(
        ...dirname(file)
          .split('/')
          .map(() => '..'),
        target,
      );
      return `import * as m${i} from '${rel}';\nconsole.log(m${i});`;
    });
    await mkdir(join(root, dirname(file)), { recursive: true });
    await writeFile(join(root, file), `${lines.join('\n')}\nexport const name = '${file}';\n`);
  }
  const tsconfig = { compilerOptions: { allowImportingTsExtensions: true, noEmit: true } };
  await writeFile(join(root, 'tsconfig.json'), JSON.stringify(tsconfig));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the dependency rule (dependency-cruiser)', () => {
  it('rejects exactly the imports against the layers, and lets the others through', async () => {
    expect((await cruise(MODULE_RULES)).sort()).toEqual(EXPECTED);
  });

  it('rejects two folders that import each other, and the cycles an upward import closes', async () => {
    const cycles = await cruise(FOLDER_RULES);
    const folders = new Set(cycles.map((v) => v.split(' → ')[0]));
    expect([...folders].sort()).toEqual([
      'no-folder-cycle: lab/cli',
      'no-folder-cycle: lab/compare',
      'no-folder-cycle: lab/render/nginx',
      'no-folder-cycle: lab/run/driver',
      'no-folder-cycle: lab/run/observe',
      'no-folder-cycle: lab/scenario',
      'no-folder-cycle: lab/text',
      'no-folder-cycle: lab/topology',
    ]);
  });
});
