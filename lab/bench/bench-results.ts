import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../repo-root.ts';

/** Where `make bench` saves its figures: <repo>/results/bench. */
export const BENCH_RESULTS_DIR = join(REPO_ROOT, 'results', 'bench');

/** Writes `data` as pretty JSON to results/bench/<fileName> and returns the path. */
export async function saveBenchResult(fileName: string, data: unknown): Promise<string> {
  await mkdir(BENCH_RESULTS_DIR, { recursive: true });
  const path = join(BENCH_RESULTS_DIR, fileName);
  await writeFile(path, `${JSON.stringify(data, null, 2)}\n`);
  return path;
}
