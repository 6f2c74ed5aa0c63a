import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { measuredFixture, resultsFixture } from '../report/test-fixtures.ts';
import { runDiffCommand } from './diff-command.ts';

describe('cachelab diff', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cachelab-diff-'));
    const runs = {
      'run-a': resultsFixture([measuredFixture('local')], { runId: 'run-a' }),
      'run-b': resultsFixture([measuredFixture('local', { staleReadRate: 0.05 })], {
        runId: 'run-b',
      }),
    };
    for (const [id, results] of Object.entries(runs)) {
      await mkdir(join(dir, id));
      await writeFile(join(dir, id, 'results.json'), JSON.stringify(results));
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('prints what changed per topology and metric and counts regressions', async () => {
    let text = '';
    const report = await runDiffCommand(
      ['run-a', join(dir, 'run-b'), '--results-dir', dir, '--changed-only'],
      (t) => {
        text += t;
      },
    );
    expect(report?.regressions).toBe(1);
    expect(text).toMatch(/local\s+staleReadRate\s+0\.00%\s+5\.00%\s+\+5\.00%\s+n\/a\s+REGRESSION/);
    expect(text).toContain('1 regression(s) from run-a to run-b');
    expect(process.exitCode).toBeUndefined();
  });

  it('sets exit status 1 with --fail-on-regression', async () => {
    await runDiffCommand(
      ['run-a', 'run-b', '--results-dir', dir, '--fail-on-regression'],
      () => {},
    );
    expect(process.exitCode).toBe(1);
  });

  it('refuses anything but two runs', async () => {
    await expect(runDiffCommand(['run-a'], () => {})).rejects.toThrow(/exactly two runs/);
    await expect(runDiffCommand(['run-a', 'nope', '--results-dir', dir], () => {})).rejects.toThrow(
      /no results found for 'nope'/,
    );
  });
});
