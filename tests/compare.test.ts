// A real quick comparison of five topologies (native Postgres, Redis, nginx, app servers), asserted on
// what was measured. 1,000 users and 10 s + 10 s at 150 req/s keep every cache clearly warm enough for
// the ratios below on a loaded 2-core machine (the simulator predicts local ≈ 0.32× no-cache's queries).
import { chmod, mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentPrinter } from '../lab/compare/compare-printer.ts';
import { resolveCompareSettings } from '../lab/compare/compare-settings.ts';
import { readResults } from '../lab/compare/results-store.ts';
import type { CompareOutput } from '../lab/compare/run-compare.ts';
import { runCompare } from '../lab/compare/run-compare.ts';
import { type MeasuredTopology, measuredOf } from '../lab/report/results-types.ts';
import type { RunningLab } from '../lab/run/driver/driver-types.ts';

const TOPOLOGIES = ['no-cache', 'local', 'local-hash', 'global', 'two-tier'];

let root = '';
let out: CompareOutput;
/** X-Cache of the same profile read through app-1 then app-2 of `global`, after its measured window. */
let crossServer: { first: string | null; second: string | null; servers: string[] } | undefined;

const silent = silentPrinter;

async function readThrough(url: string, id: number) {
  const response = await fetch(`${url}/profiles/${id}`);
  await response.arrayBuffer();
  return { cache: response.headers.get('x-cache'), server: response.headers.get('x-served-by') };
}

// A profile the load seldom reads (ids are Zipf-ranked after a scramble, so pick the least-read one).
async function crossServerCheck(topology: string, lab: RunningLab): Promise<void> {
  if (topology !== 'global') return;
  const [a, b] = lab.state.services
    .filter((s) => s.role === 'app')
    .map((s) => ({ url: `http://127.0.0.1:${s.ports[0]}` }));
  if (!a || !b) throw new Error('global should run 3 app servers');
  const first = await readThrough(a.url, 997);
  const second = await readThrough(b.url, 997);
  crossServer = {
    first: first.cache,
    second: second.cache,
    servers: [first.server, second.server].map(String),
  };
}

function topology(name: string): MeasuredTopology {
  const found = measuredOf(out.results).find((t) => t.topology === name);
  if (!found)
    throw new Error(`${name} was not measured: ${JSON.stringify(out.results.topologies)}`);
  return found;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cachelab-compare-test-'));
  // Postgres runs as the postgres user when we are root: it must traverse the run folders.
  await chmod(root, 0o755);
  const settings = resolveCompareSettings({
    quick: true,
    topologies: TOPOLOGIES,
    seedUsers: 1_000,
    rate: 150,
    // Warm-up chunks run at 600 req/s: 4 s serve more requests than 10 s at the measured rate.
    warmupSec: 4,
    durationSec: 10,
    // The machine is shared by parallel jobs: validity is not what this suite asserts.
    maxLagP99Ms: 500,
    resultsDir: join(root, 'results'),
  });
  out = await runCompare({
    settings,
    runRoot: join(root, 'runs'),
    printer: silent,
    afterMeasure: crossServerCheck,
  });
}, 300_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('cachelab compare (quick, 5 topologies, measured)', () => {
  it('measured every topology and wrote a valid results.json, the reports and results/latest', async () => {
    expect(out.results.topologies.map((t) => [t.topology, t.status])).toEqual(
      TOPOLOGIES.map((t) => [t, 'ok']),
    );
    expect(await readResults(out.resultsPath)).toEqual(out.results);
    expect(await readlink(out.latestLink)).toBe(out.results.runId);
    for (const file of [out.report.markdownPath, out.report.htmlPath]) {
      expect((await stat(file)).size).toBeGreaterThan(1000);
    }
    expect(out.results.versions.postgres).toMatch(/^\d+/);
    expect(out.results.versions.redis).toMatch(/^\d+\.\d+/);
    expect(out.results.versions.nginx).toMatch(/^\d+\.\d+/);
    expect(out.results.parameters.driver).toBe('native');
    expect(await readFile(out.report.markdownPath, 'utf8')).toContain('- **driver**: native');
  });

  it('removed every run folder after the clean runs', async () => {
    expect(await readdir(join(root, 'runs'))).toEqual([]);
  });

  it('every cached topology makes far fewer DB queries per request than no-cache', () => {
    const baseline = topology('no-cache').dbQueriesPerRequest;
    expect(baseline).toBeGreaterThan(0.8);
    for (const name of TOPOLOGIES.slice(1)) {
      expect(topology(name).dbQueriesPerRequest, name).toBeLessThan(0.5 * baseline);
    }
  });

  it("counts DB queries consistently on the apps' side and in pg_stat_statements", () => {
    for (const name of TOPOLOGIES) expect(topology(name).database.crossCheck, name).toBe('agree');
  });

  it('at 3 servers, local-hash has a higher L1 hit ratio than local', () => {
    const local = topology('local');
    const hashed = topology('local-hash');
    expect([local.appServerCount, hashed.appServerCount]).toEqual([3, 3]);
    expect(hashed.hitRatio.l1 ?? 0).toBeGreaterThan((local.hitRatio.l1 ?? 0) + 0.05);
  });

  it('in global, a value cached through one server is a hit through another', () => {
    expect(topology('global').cacheResults['HIT-L2'] ?? 0).toBeGreaterThan(0);
    expect(crossServer?.servers).toEqual(['app-1', 'app-2']);
    expect(['MISS', 'HIT-L2']).toContain(crossServer?.first);
    expect(crossServer?.second).toBe('HIT-L2');
  });

  it("two-tier's stale-read rate is at most local's", () => {
    expect(topology('local').staleReadRate).toBeGreaterThan(0);
    expect(topology('two-tier').staleReadRate).toBeLessThanOrEqual(topology('local').staleReadRate);
  });

  it('spreads requests over the app servers and counts Redis ops per node', () => {
    for (const name of TOPOLOGIES) {
      const served = topology(name).appServers.map((a) => a.requests);
      expect(served, name).toHaveLength(3);
      expect(Math.min(...served), name).toBeGreaterThan(0);
    }
    expect(topology('global').redisOpsPerNode.map((n) => n.node)).toEqual(['redis-1']);
    expect(topology('global').redisOpsPerNode[0]?.ops ?? 0).toBeGreaterThan(0);
    expect(topology('local').redisOpsPerNode).toEqual([]);
  });

  it('accounts the CPU and memory of every component of every measured window', () => {
    for (const name of TOPOLOGIES) {
      const cost = topology(name).cost;
      expect(cost?.source, name).toBe('proc');
      const components = cost?.components.map((c) => c.component) ?? [];
      expect(components, name).toEqual(
        expect.arrayContaining(['generator', 'nginx', 'app-1', 'app-2', 'app-3', 'postgres']),
      );
      // Every component did some work, and the app servers and Postgres hold memory.
      expect(cost?.tiers.find((t) => t.tier === 'app')?.cpuUsPerRequest ?? 0, name).toBeGreaterThan(
        0,
      );
      expect(
        cost?.components.find((c) => c.component === 'postgres')?.memoryMB ?? 0,
      ).toBeGreaterThan(1);
      expect(topology(name).generatorCpu?.cpuMs ?? 0, name).toBeGreaterThan(0);
    }
    const redis = topology('global').cost?.components.find((c) => c.component === 'redis-1');
    expect(redis?.redisUsedMemoryMB ?? 0).toBeGreaterThan(0);
    const app = topology('local').cost?.components.find((c) => c.component === 'app-1');
    expect(app?.l1Entries ?? 0).toBeGreaterThan(0);
  });

  it('compares the measured hit ratios with the simulation at N=3', () => {
    const calibration = out.results.calibration;
    expect(calibration?.servers).toBe(3);
    expect(calibration?.entries.map((e) => e.topology)).toEqual([
      'local',
      'local-hash',
      'global',
      'two-tier',
    ]);
  });
});
