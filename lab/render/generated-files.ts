import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

/** One generated file: its path relative to a root folder and its exact content. */
export interface GeneratedFile {
  path: string;
  text: string;
}

/** What one generator produces: its files, and the folders it owns whole (anything else there is stale). */
export interface GeneratedSet {
  files: readonly GeneratedFile[];
  /** Folders (relative to the root) holding only this generator's files; `.` is the root itself. */
  ownedDirs: readonly string[];
}

/** What differs between the folder and the generator's output (paths relative to the root). */
export interface Drift {
  /** Generated files missing or with other content. */
  changed: string[];
  /** Files in owned folders that the generator no longer produces. */
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

async function filesUnder(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** Compares the files under `root` with what the generator produces. */
export async function driftOf(set: GeneratedSet, root: string): Promise<Drift> {
  const contents = await Promise.all(set.files.map((f) => readOr(join(root, f.path))));
  const changed = set.files.filter((f, i) => contents[i] !== f.text).map((f) => f.path);
  const wanted = new Set(set.files.map((f) => f.path));
  const owned = await Promise.all(set.ownedDirs.map((dir) => filesUnder(root, dir)));
  const stale = owned.flat().filter((path) => !wanted.has(path));
  return { changed, stale: [...new Set(stale)].sort() };
}

/** Writes every changed file under `root` and removes stale ones; returns what it changed. */
export async function writeGenerated(set: GeneratedSet, root: string): Promise<Drift> {
  const drift = await driftOf(set, root);
  const byPath = new Map(set.files.map((f) => [f.path, f.text]));
  for (const path of drift.changed) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), byPath.get(path) ?? '');
  }
  for (const path of drift.stale) await rm(join(root, path));
  return drift;
}
