import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentPrinter } from '../../lab/compare/compare-printer.ts';
import { resolveCompareSettings } from '../../lab/compare/compare-settings.ts';
import { readResults } from '../../lab/compare/results-store.ts';
import { type CompareOutput, runCompare } from '../../lab/compare/run-compare.ts';
import { type MeasuredTopology, measuredOf } from '../../lab/report/results-types.ts';
import { createComposeDriver } from '../../lab/run/driver/compose/driver.ts';
import { projectNameOf } from '../../lab/run/driver/compose/plan.ts';
import { recordPath } from '../../lab/run/driver/compose/record.ts';
import { downRecorded } from '../../lab/run/driver/compose/status-logs-down.ts';
import { describeWithDocker } from '../docker/docker-cli.ts';
import { probeCompose, projectLeftovers } from './compose-support.ts';

// `cachelab compare --driver compose` in short: no-cache and global brought up by the compose driver
// (the offline images here), loaded, scraped through the published ports with the run's secrets, and
// taken down; then what results.json and both reports say about it.
const probe = await probeCompose();

const TOPOLOGIES = ['no-cache', 'global'];

describeWithDocker('compare through the compose driver: no-cache and global', probe, () => {
  const prefix = `cachelab-compare-${process.pid}`;
  let dir = '';
  let out: CompareOutput | undefined;

  const measured = (name: string): MeasuredTopology => {
    const found = measuredOf((out as CompareOutput).results).find((t) => t.topology === name);
    if (!found)
      throw new Error(`${name} was not measured: ${JSON.stringify(out?.results.topologies)}`);
    return found;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compose-compare-'));
    const driver = createComposeDriver({
      projectPrefix: prefix,
      secretsFile: join(dir, 'secrets.env'),
      readyTimeoutMs: 180_000,
    });
    const settings = resolveCompareSettings({
      quick: true,
      topologies: TOPOLOGIES,
      driver: 'compose',
      seedUsers: 500,
      rate: 40,
      warmupSec: 3,
      durationSec: 5,
      // 2 shared cores run the containers and the load generator: validity is not asserted here.
      maxLagP99Ms: 500,
      resultsDir: join(dir, 'results'),
    });
    out = await runCompare({
      settings,
      driver,
      runRoot: join(dir, 'runs'),
      printer: silentPrinter,
    }).catch(async (error: unknown) => {
      // results.json is written before NOTHING_MEASURED is thrown: say why each topology failed.
      const written = await readResults(join(dir, 'results', 'latest', 'results.json')).catch(
        () => undefined,
      );
      const why = written?.topologies.map((t) => (t.status === 'failed' ? t.error : t.status));
      throw new Error(`${String(error)}: ${JSON.stringify(why)}`, { cause: error });
    });
  }, 600_000);

  afterAll(async () => {
    // compare takes each project down itself and keeps a run folder only when something failed:
    // whatever such a folder recorded goes now.
    const runs = join(dir, 'runs');
    const kept = await readdir(runs).catch(() => [] as string[]);
    for (const folder of kept) {
      if (existsSync(recordPath(join(runs, folder)))) await downRecorded(join(runs, folder));
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 180_000);

  it('measured both topologies and wrote a valid results.json naming the compose driver', async () => {
    const current = out as CompareOutput;
    expect(current.results.topologies.map((t) => [t.topology, t.status])).toEqual(
      TOPOLOGIES.map((t) => [t, 'ok']),
    );
    expect(current.results.parameters.driver).toBe('compose');
    expect(await readResults(current.resultsPath)).toEqual(current.results);
    expect(current.results.versions.postgres).toMatch(/^\d+/);
    expect(current.results.versions.redis).toMatch(/^\d+\.\d+/);
  });

  it('both reports say the topologies ran on compose', async () => {
    const current = out as CompareOutput;
    const markdown = await readFile(current.report.markdownPath, 'utf8');
    expect(markdown).toContain('- **driver**: compose (Docker Compose containers');
    const html = await readFile(current.report.htmlPath, 'utf8');
    expect(html).toContain('<dt>driver</dt><dd>compose (Docker Compose containers');
    for (const name of TOPOLOGIES) expect(markdown).toContain(name);
  });

  it('read the servers’ own figures: every app, and the password-protected Redis of global', () => {
    for (const name of TOPOLOGIES) {
      const t = measured(name);
      expect(t.appServers.map((a) => a.server).sort(), name).toEqual(['app-1', 'app-2', 'app-3']);
      expect(t.database.serverRequests, name).toBeGreaterThan(0);
      // Served through nginx: a failing stack (5xx, timeouts) is not a comparison.
      expect(t.errorRate, `${name}: ${JSON.stringify(t.errors)}`).toBeLessThan(0.05);
    }
    expect(measured('no-cache').redisOpsPerNode).toEqual([]);
    const redis = measured('global').redisOpsPerNode;
    expect(redis.map((n) => n.node)).toEqual(['redis-1']);
    expect(redis[0]?.ops ?? 0).toBeGreaterThan(0);
    expect(measured('global').dbQueriesPerRequest).toBeLessThan(
      measured('no-cache').dbQueriesPerRequest,
    );
  });

  it('costed every container from its real cgroup', () => {
    for (const name of TOPOLOGIES) {
      const cost = measured(name).cost;
      expect(cost?.source, name).toBe('cgroup');
      const containers = (cost?.components ?? []).filter((c) => c.component !== 'generator');
      const expected = ['app-1', 'app-2', 'app-3', 'nginx', 'postgres'];
      if (name === 'global') expected.push('invalidator', 'redis-1');
      expect(containers.map((c) => c.component).sort(), name).toEqual(expected.sort());
      for (const c of containers) {
        // Every container served or sent traffic in the window, and holds some resident memory.
        expect(c.cpuMs, `${name} ${c.component}`).toBeGreaterThan(0);
        expect(c.memoryMB, `${name} ${c.component}`).toBeGreaterThan(0);
        // Resident memory, not the page cache: no container of this lab holds 512 MB.
        expect(c.memoryMB, `${name} ${c.component}`).toBeLessThan(512);
      }
      expect(cost?.totalCpuUsPerRequest, name).toBeGreaterThan(0);
    }
  });

  it('took every project down and removed the run folders', async () => {
    for (const topology of TOPOLOGIES) {
      expect(await projectLeftovers(projectNameOf(prefix, topology))).toEqual({
        containers: 0,
        networks: 0,
        volumes: 0,
      });
    }
    expect(await readdir(join(dir, 'runs'))).toEqual([]);
  });
});
