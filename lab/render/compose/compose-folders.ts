import { fileURLToPath } from 'node:url';
import { type Drift, driftOf, type GeneratedSet } from '../generated-files.ts';
import { GENERATED_SUBDIR } from './compose-types.ts';
import { type GeneratedFile, renderComposeFiles } from './render-compose.ts';

/** The repository's compose folder: the pins (.env), secrets and hand-written scripts. */
export const COMPOSE_DIR = fileURLToPath(new URL('../../../compose/', import.meta.url));

/** compose/generated: every file rendered from the model, and nothing else. */
export const GENERATED_COMPOSE_DIR = fileURLToPath(
  new URL(`../../../compose/${GENERATED_SUBDIR}/`, import.meta.url),
);

/** The compose files of the catalog (or of `files`), as a set owning compose/generated whole. */
export function composeFileSet(
  files: readonly GeneratedFile[] = renderComposeFiles(),
): GeneratedSet {
  return { files, ownedDirs: ['.'] };
}

/** Compares `dir` (default compose/generated) with what the generator produces from the catalog. */
export async function composeDrift(
  dir = GENERATED_COMPOSE_DIR,
  files: readonly GeneratedFile[] = renderComposeFiles(),
): Promise<Drift> {
  return driftOf(composeFileSet(files), dir);
}
