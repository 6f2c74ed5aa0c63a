import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { measuredFixture, resultsFixture } from '../report/test-fixtures.ts';
import { diffCommand } from './diff-command.ts';

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
    const options = { runA: 'run-a', runB: join(dir, 'run-b'), resultsDir: dir, changedOnly: true };
    const report = await diffCommand(options, (t) => {
      text += t;
    });
    expect(report.regressions).toBe(1);
    expect(text).toMatch(
      /local\s+staleReadRate\s+0\.00%\s+5\.00%\s+0\.00%–0\.34%\s+3\.88%–6\.42%\s+\+5\.00%\s+n\/a\s+REGRESSION/,
    );
    expect(text).toContain('1 regression(s) from run-a to run-b');
    expect(process.exitCode).toBeUndefined();
  });

  it('sets exit status 1 with --fail-on-regression', async () => {
    await diffCommand(
      { runA: 'run-a', runB: 'run-b', resultsDir: dir, failOnRegression: true },
      () => {},
    );
    expect(process.exitCode).toBe(1);
  });

  it('says which run it cannot find', async () => {
    await expect(
      diffCommand({ runA: 'run-a', runB: 'nope', resultsDir: dir }, () => {}),
    ).rejects.toThrow(/no results found for 'nope'/);
  });
});
