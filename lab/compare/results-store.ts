import { mkdir, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type ComparisonResults,
  parseComparisonResults,
  ResultsInvalidError,
} from '../report/results-types.ts';
import { CompareError } from './compare-error.ts';

/** Name of the results file inside a run folder. */
export const RESULTS_FILE = 'results.json';
/** Name of the symlink to the newest run folder. */
export const LATEST_LINK = 'latest';

const pad = (n: number): string => String(n).padStart(2, '0');

/** A sortable run id: UTC date and time, then the workload, e.g. 20261126-041200-read-heavy. */
export function newRunId(now: Date, workload: string): string {
  const date = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `${date}-${time}-${workload.replace(/[^\w.-]/g, '_')}`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Creates `<resultsDir>/<runId>/` (suffixing -2, -3… if taken) and returns its path and final id. */
export async function makeRunFolder(
  resultsDir: string,
  runId: string,
): Promise<{ dir: string; runId: string }> {
  for (let n = 1; n <= 100; n++) {
    const id = n === 1 ? runId : `${runId}-${n}`;
    const dir = resolve(resultsDir, id);
    if (await exists(dir)) continue;
    await mkdir(dir, { recursive: true });
    return { dir, runId: id };
  }
  throw new CompareError('USAGE', `too many runs called ${runId} in ${resultsDir}`);
}

/** Points `<resultsDir>/latest` at `runId` (a relative symlink, replaced atomically). */
export async function pointLatest(resultsDir: string, runId: string): Promise<string> {
  const link = resolve(resultsDir, LATEST_LINK);
  const temp = `${link}.${process.pid}.tmp`;
  await rm(temp, { force: true });
  await symlink(runId, temp);
  await rename(temp, link);
  return link;
}

/**
 * Validates and writes results.json into `dir`; returns its path and the results as written (after
 * a JSON round trip, e.g. -0 becomes 0), so what the caller keeps equals what a reader will load.
 */
export async function writeResults(
  dir: string,
  results: ComparisonResults,
): Promise<{ path: string; results: ComparisonResults }> {
  const text = `${JSON.stringify(results, null, 2)}\n`;
  const written = parseComparisonResults(JSON.parse(text), 'the results being written');
  const path = join(dir, RESULTS_FILE);
  await writeFile(path, text);
  return { path, results: written };
}

/** Run ids (folders holding results.json) under `resultsDir`, newest first. */
export async function listRuns(resultsDir: string): Promise<string[]> {
  const entries = await readdir(resultsDir, { withFileTypes: true }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  });
  const ids = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  const withResults = await Promise.all(
    ids.map(async (id) => ((await exists(join(resultsDir, id, RESULTS_FILE))) ? id : undefined)),
  );
  return withResults
    .filter((id): id is string => id !== undefined)
    .sort()
    .reverse();
}

/** The results.json a reference names: a file, a run folder, or a run id (or `latest`) under resultsDir. */
export async function resolveRunRef(ref: string, resultsDir: string): Promise<string> {
  const candidates = [ref, join(ref, RESULTS_FILE), join(resultsDir, ref, RESULTS_FILE)].map((p) =>
    resolve(p),
  );
  for (const path of candidates) {
    if (
      path.endsWith('.json') &&
      (await stat(path).then(
        (s) => s.isFile(),
        () => false,
      ))
    ) {
      return path;
    }
  }
  const runs = (await listRuns(resultsDir)).slice(0, 10);
  const known = runs.length > 0 ? `; recent runs: ${runs.join(', ')}` : '';
  throw new CompareError(
    'RESULTS_NOT_FOUND',
    `no results found for '${ref}' in ${resultsDir}${known}`,
  );
}

/** Reads and validates a results.json; RESULTS_INVALID lists every schema problem. */
export async function readResults(path: string): Promise<ComparisonResults> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CompareError('RESULTS_INVALID', `could not read ${path} as JSON`, { cause: error });
  }
  try {
    return parseComparisonResults(value, path);
  } catch (error) {
    const message = error instanceof ResultsInvalidError ? error.message : `${path} is invalid`;
    throw new CompareError('RESULTS_INVALID', message, { cause: error });
  }
}
