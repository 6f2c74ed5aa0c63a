import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGenerated, GENERATORS, generateAll, staleReport } from './generate-all.ts';

let root = '';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cachelab-generate-'));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('make generate', () => {
  it('gives every generated file exactly one generator', () => {
    const paths = GENERATORS.flatMap((g) => g.render().files.map((f) => f.path));
    expect(new Set(paths).size).toBe(paths.length);
    for (const expected of [
      'compose/generated/compose.yaml',
      'compose/generated/topologies/two-tier.yaml',
      'dashboards/generated/cache-tiers.json',
      'dashboards/provisioning/datasources/prometheus.yaml',
      'lab/report/results.schema.json',
      'loadtests/result-format.schema.json',
    ]) {
      expect(paths).toContain(expected);
    }
  });

  it('writes every file, after which the check finds nothing stale', async () => {
    const first = await generateAll(root);
    expect(first.every((d) => d.changed.length > 0)).toBe(true);
    expect(staleReport(await checkGenerated(root))).toEqual([]);
    const again = await generateAll(root);
    expect(again.flatMap((d) => [...d.changed, ...d.stale])).toEqual([]);
  });

  it('names an edited file, a file no generator makes any more, and the command that fixes both', async () => {
    const edited = join(root, 'compose/generated/compose.yaml');
    await writeFile(edited, `${await readFile(edited, 'utf8')}# hand edit\n`);
    await writeFile(join(root, 'compose/generated/topologies/retired.yaml'), 'services: {}\n');
    expect(staleReport(await checkGenerated(root))).toEqual([
      'compose/generated/compose.yaml is stale (compose files (from the topology model))',
      'compose/generated/topologies/retired.yaml is no longer generated (compose files (from the topology model))',
      'run `make generate` and commit the result',
    ]);
    await generateAll(root);
    expect(staleReport(await checkGenerated(root))).toEqual([]);
  });
});
