import { mkdtemp, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measuredFixture, resultsFixture } from '../report/test-fixtures.ts';
import { CompareError } from './compare-error.ts';
import {
  listRuns,
  makeRunFolder,
  newRunId,
  pointLatest,
  readResults,
  resolveRunRef,
  writeResults,
} from './results-store.ts';

describe('results store', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cachelab-store-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('makes sortable run ids', () => {
    expect(newRunId(new Date('2026-03-04T05:06:07Z'), 'read-heavy')).toBe(
      '20260304-050607-read-heavy',
    );
  });

  it('writes results, points latest at the newest run and resolves references', async () => {
    const first = await makeRunFolder(dir, 'run');
    const second = await makeRunFolder(dir, 'run');
    expect(second.runId).toBe('run-2');
    const results = resultsFixture([measuredFixture('local')]);
    const { path } = await writeResults(second.dir, results);
    await writeResults(first.dir, results);
    await pointLatest(dir, second.runId);
    expect(await readlink(join(dir, 'latest'))).toBe('run-2');
    expect(await resolveRunRef('latest', dir)).toBe(join(dir, 'latest', 'results.json'));
    expect(await resolveRunRef(second.dir, dir)).toBe(path);
    expect(await resolveRunRef(path, dir)).toBe(path);
    expect(await readResults(path)).toEqual(results);
    expect(await listRuns(dir)).toEqual(['run-2', 'run']);
  });

  it('lists recent runs when a reference matches nothing', async () => {
    await expect(resolveRunRef('nope', dir)).rejects.toThrow(
      /no results found for 'nope'.*recent runs: run-2, run/,
    );
    await expect(resolveRunRef('nope', dir)).rejects.toBeInstanceOf(CompareError);
  });
});
