import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLabError } from '../lab-errors.ts';
import { runSimulateCommand, type SimulateReport } from './simulate-command.ts';

const tiny = { keys: 5000, requests: 20000, servers: [1, 3], cacheEntries: 500 };
const tinyResize = { resizeNodes: [3], window: 2000, globalEntries: 1500 };

describe('runSimulateCommand', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cachelab-simulate-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints both tables and writes <timestamp>.json and latest.json', async () => {
    const printed: string[] = [];
    const now = () => new Date('2030-01-02T03:04:05.678Z');
    const out = await runSimulateCommand(
      { ...tiny, ...tinyResize, out: dir },
      {
        print: (text) => printed.push(text),
        now,
      },
    );
    expect(out.jsonPath).toBe(join(dir, '2030-01-02T03-04-05-678Z.json'));
    expect((await readdir(dir)).sort()).toEqual(['2030-01-02T03-04-05-678Z.json', 'latest.json']);
    const report = JSON.parse(await readFile(join(dir, 'latest.json'), 'utf8')) as SimulateReport;
    expect(report.scale.settings).toMatchObject({
      keyCount: 5000,
      warmupRequests: 20000,
      servers: [1, 3],
    });
    expect(report.resize.settings).toMatchObject({
      nodes: [3],
      windowRequests: 2000,
      nodeEntries: 500,
    });
    expect(printed.join('\n')).toMatch(/Scale — read-heavy[\s\S]*Resize — read-heavy/);
  });

  it('writes exactly the named file when --out ends in .json', async () => {
    const file = join(dir, 'nested', 'run.json');
    const out = await runSimulateCommand(
      { ...tiny, ...tinyResize, out: file },
      {
        print: () => {},
      },
    );
    expect(out.latestPath).toBeNull();
    expect(await readdir(join(dir, 'nested'))).toEqual(['run.json']);
  });

  it('fails with a USAGE error on a value the simulation refuses, writing nothing', async () => {
    const error = await runSimulateCommand({ servers: [0], out: dir }, { print: () => {} }).catch(
      (e: unknown) => e,
    );
    expect(isLabError(error) && error.code).toBe('USAGE');
    expect(await readdir(dir)).toEqual([]);
  });
});
