import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderArtifacts } from '../../dashboards/src/dashboard-files.ts';
import { REPO_PATHS } from '../../dashboards/src/provisioning.ts';
import { RESULT_SCHEMA_PATH, resultSchemaText } from '../../loadtests/write-result-schema.ts';
import { CAPACITY_SCHEMA_PATH, capacitySchemaText } from '../capacity/capacity-schema-file.ts';
import { GENERATED_COMPOSE_DIR } from '../render/compose/compose-folders.ts';
import { renderComposeFiles } from '../render/compose/render-compose.ts';
import {
  type Drift,
  driftOf,
  type GeneratedFile,
  type GeneratedSet,
  writeGenerated,
} from '../render/generated-files.ts';
import { k8sExampleSet } from '../render/k8s/k8s-examples.ts';
import { REPO_ROOT } from '../repo-root.ts';
import { RESULTS_SCHEMA_PATH, resultsSchemaText } from '../report/results-schema-file.ts';
import { SCENARIO_SCHEMA_PATH, scenarioSchemaText } from '../scenario/scenario-schema-file.ts';

/** The command that rewrites every generated file; `--check` names it when something is stale. */
export const GENERATE_COMMAND = 'make generate';

/** One generator: what it is called and the files it produces (paths relative to the repository). */
export interface Generator {
  name: string;
  render(): GeneratedSet;
}

const fromRepo = (absolute: string): string => relative(REPO_ROOT, absolute);

const composeDir = fromRepo(GENERATED_COMPOSE_DIR);

/** Every generator of the repository; each generated file comes from exactly one of them. */
export const GENERATORS: readonly Generator[] = [
  {
    name: 'compose files (from the topology model)',
    render: () => ({
      files: renderComposeFiles().map((f) => ({ path: `${composeDir}/${f.path}`, text: f.text })),
      ownedDirs: [composeDir],
    }),
  },
  {
    name: 'Grafana dashboards and provisioning',
    render: () => ({
      files: [...renderArtifacts()].map(([path, text]): GeneratedFile => ({ path, text })),
      ownedDirs: [REPO_PATHS.generated, REPO_PATHS.provisioning],
    }),
  },
  {
    name: 'Kubernetes example folders (deploy/k8s, from the topology model)',
    render: k8sExampleSet,
  },
  {
    name: 'JSON Schema of results.json',
    render: () => ({
      files: [{ path: fromRepo(RESULTS_SCHEMA_PATH), text: resultsSchemaText() }],
      ownedDirs: [],
    }),
  },
  {
    name: 'JSON Schema of capacity results.json',
    render: () => ({
      files: [{ path: fromRepo(CAPACITY_SCHEMA_PATH), text: capacitySchemaText() }],
      ownedDirs: [],
    }),
  },
  {
    name: 'JSON Schema of scenario results.json',
    render: () => ({
      files: [{ path: fromRepo(SCENARIO_SCHEMA_PATH), text: scenarioSchemaText() }],
      ownedDirs: [],
    }),
  },
  {
    name: 'JSON Schema of the load runner result',
    render: () => ({
      files: [{ path: fromRepo(RESULT_SCHEMA_PATH), text: resultSchemaText() }],
      ownedDirs: [],
    }),
  },
];

/** What one generator would change. */
export interface GeneratorDrift extends Drift {
  generator: string;
}

/** Compares every generated file under `root` with what its generator produces now. */
export async function checkGenerated(
  root = REPO_ROOT,
  generators: readonly Generator[] = GENERATORS,
): Promise<GeneratorDrift[]> {
  return Promise.all(
    generators.map(async (g) => ({ generator: g.name, ...(await driftOf(g.render(), root)) })),
  );
}

/** Writes every generated file under `root` and removes stale ones; returns what changed. */
export async function generateAll(
  root = REPO_ROOT,
  generators: readonly Generator[] = GENERATORS,
): Promise<GeneratorDrift[]> {
  const drifts: GeneratorDrift[] = [];
  for (const g of generators) {
    drifts.push({ generator: g.name, ...(await writeGenerated(g.render(), root)) });
  }
  return drifts;
}

/** One line per stale file, and the command that fixes them; empty when everything is current. */
export function staleReport(drifts: readonly GeneratorDrift[]): string[] {
  const lines = drifts.flatMap((d) => [
    ...d.changed.map((path) => `${path} is stale (${d.generator})`),
    ...d.stale.map((path) => `${path} is no longer generated (${d.generator})`),
  ]);
  return lines.length === 0 ? [] : [...lines, `run \`${GENERATE_COMMAND}\` and commit the result`];
}

async function main(args: readonly string[]): Promise<number> {
  if (args.includes('--check')) {
    const report = staleReport(await checkGenerated());
    for (const line of report) process.stderr.write(`${line}\n`);
    return report.length === 0 ? 0 : 1;
  }
  for (const d of await generateAll()) {
    const summary = `${d.changed.length} written, ${d.stale.length} removed`;
    process.stdout.write(`${d.generator}: ${summary}\n`);
  }
  return 0;
}

// `make generate` runs this file; `npm run check` runs it with --check.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
