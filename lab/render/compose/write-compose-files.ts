import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GeneratedFile, renderComposeFiles } from './render-compose.ts';

/** The repository's compose folder. */
export const COMPOSE_DIR = fileURLToPath(new URL('../../../compose/', import.meta.url));

/** Folders holding only generated files (anything else in them is stale). */
const GENERATED_DIRS = ['topologies', 'nginx', 'prometheus'];

/** What differs between the folder and the generator's output. */
export interface Drift {
  /** Generated files missing or with other content. */
  changed: string[];
  /** Files in generated folders that the generator no longer produces. */
  stale: string[];
}

async function readOr(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function staleFiles(dir: string, files: readonly GeneratedFile[]): Promise<string[]> {
  const wanted = new Set(files.map((f) => f.path));
  const found = await Promise.all(
    GENERATED_DIRS.map(async (sub) => {
      const names = await readdir(join(dir, sub)).catch(() => [] as string[]);
      return names.map((name) => `${sub}/${name}`);
    }),
  );
  return found.flat().filter((path) => !wanted.has(path));
}

/** Compares `dir` with what the generator produces (`files`, default: from the catalog). */
export async function composeDrift(
  dir = COMPOSE_DIR,
  files: readonly GeneratedFile[] = renderComposeFiles(),
): Promise<Drift> {
  const contents = await Promise.all(files.map((f) => readOr(join(dir, f.path))));
  const changed = files.filter((f, i) => contents[i] !== f.text).map((f) => f.path);
  return { changed, stale: await staleFiles(dir, files) };
}

/** Writes every generated file into `dir` and removes stale ones; returns what it changed. */
export async function writeComposeFiles(dir = COMPOSE_DIR): Promise<Drift> {
  const files = renderComposeFiles();
  const drift = await composeDrift(dir, files);
  for (const path of drift.changed) {
    const file = files.find((f) => f.path === path);
    if (!file) continue;
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), file.text);
  }
  for (const path of drift.stale) await rm(join(dir, path));
  return drift;
}

async function main(args: readonly string[]): Promise<number> {
  if (args.includes('--check')) {
    const drift = await composeDrift();
    const problems = [...drift.changed, ...drift.stale.map((p) => `${p} (stale)`)];
    for (const p of problems) process.stderr.write(`compose/${p} differs from the model\n`);
    return problems.length === 0 ? 0 : 1;
  }
  const drift = await writeComposeFiles();
  const summary = `${drift.changed.length} written, ${drift.stale.length} stale removed`;
  process.stdout.write(`compose files in ${COMPOSE_DIR}: ${summary}\n`);
  return 0;
}

// `npx tsx lab/render/compose/write-compose-files.ts [--check]`
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
