import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DASHBOARDS } from '../dashboards/src/dashboard-files.ts';
import {
  dashboardVariables,
  datasourceUids,
  isK6Only,
  metricNames,
  type PanelQuery,
  panelQueries,
  substituteVariables,
} from '../dashboards/src/dashboard-queries.ts';
import {
  DATASOURCE_UID,
  GRAFANA_CONTAINER_PATHS,
  REPO_PATHS,
} from '../dashboards/src/provisioning.ts';
import { composeObservability } from '../lab/render/compose/compose-observability.ts';
import { REPO_ROOT } from '../lab/repo-root.ts';
import type { ServiceRecord } from '../lab/run/driver/driver-types.ts';
import { type NativeLab, upTopology } from '../lab/run/driver/native/driver.ts';
import { findLeftovers } from '../lab/run/driver/pid-control.ts';
import { createObserveHook, runIdOf } from '../lab/run/observe/observe-hook.ts';
import { hasFiniteSample, instantQuery, labelValues } from '../lab/run/observe/prometheus-api.ts';
import type { ObservabilityHandle } from '../lab/run/observe/start-observability.ts';
import { freePort } from '../lab/run/processes/ports.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import { appServerId, hasInvalidator } from '../lab/topology/app-env.ts';
import { getTopology } from '../lab/topology/catalog.ts';
import type { Topology } from '../lab/topology/model.ts';
import { patchBodyFor } from '../loadtests/workload.ts';

const TOPOLOGY: Topology = { ...getTopology('two-tier'), appServers: 2 };
const SEED_USERS = 300;
const SCRAPE_SEC = 2;
/** Wide enough to cover the whole load burst when the queries run a few scrapes after it. */
const RATE_WINDOW = '30s';
const PROFILES = 40;
const CONCURRENCY = 6;

interface Stack {
  runDir: string;
  runId: string;
  lab?: NativeLab;
  observer?: { services: ServiceRecord[]; stop(): Promise<void> };
  handle?: ObservabilityHandle;
}

const stack: Stack = { runDir: '', runId: '' };

function prometheusUrl(): string {
  const url = stack.handle?.prometheusUrl;
  if (!url) throw new Error('the observability stack did not start (see beforeAll)');
  return url;
}

/**
 * Phases of the load, each followed by a scrape: a series is born with the value it has at its first
 * scrape, and rate() only sees increases after that, so every kind of event happens in two phases.
 * Reads fill L1 and L2 (and hit them), PATCHes invalidate every server, reads refill.
 */
const PHASES = [['GET', 'GET', 'GET'], ['PATCH'], ['GET', 'GET', 'GET'], ['PATCH'], ['GET', 'GET']];

async function request(base: string, id: number, method: string, seq: number): Promise<number> {
  const patch = method === 'PATCH';
  const res = await fetch(`${base}/profiles/${id}`, {
    method,
    headers: patch ? { 'Content-Type': 'application/json' } : {},
    body: patch ? patchBodyFor(id, seq) : undefined,
    signal: AbortSignal.timeout(5_000),
  });
  await res.arrayBuffer();
  return res.status;
}

/** CONCURRENCY workers, each running `methods` in order on its own profiles. */
async function runPhase(base: string, methods: readonly string[], phase: number) {
  const statuses: number[] = [];
  const worker = async (first: number) => {
    for (let id = first; id <= PROFILES; id += CONCURRENCY) {
      for (const method of methods) statuses.push(await request(base, id, method, phase));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => worker(i + 1)));
  return statuses;
}

/** Waits (at most 20 s) until every target of the run has been scraped `count` times after now. */
async function waitScrapes(count: number): Promise<void> {
  const since = Date.now() / 1000 + (count - 1) * SCRAPE_SEC;
  const expr = `min(timestamp(up{run_id="${stack.runId}"}))`;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const answer = await instantQuery(prometheusUrl(), expr);
    if (Number(answer.result[0]?.value[1] ?? 0) >= since) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`targets were not scraped ${count} time(s) within 20 s (${expr})`);
}

/** PROFILES × 12 = 480 requests through nginx, one scrape after each phase, two after the last. */
async function driveLoad(base: string): Promise<number[]> {
  const statuses: number[] = [];
  for (const [phase, methods] of PHASES.entries()) {
    statuses.push(...(await runPhase(base, methods, phase)));
    await waitScrapes(phase === PHASES.length - 1 ? 2 : 1);
  }
  return statuses;
}

async function startStack(): Promise<void> {
  stack.runDir = await makeRunDir('observability');
  stack.runId = runIdOf(stack.runDir);
  stack.lab = await upTopology(TOPOLOGY, {
    runDir: stack.runDir,
    httpPort: await freePort(),
    seedUsers: SEED_USERS,
    appLogLevel: 'warn',
  });
  const hook = createObserveHook({
    onStarted: (handle) => {
      stack.handle = handle;
    },
  });
  stack.observer = await hook.start({ topology: TOPOLOGY, state: stack.lab.state });
  const statuses = await driveLoad(stack.lab.url);
  expect(statuses).toHaveLength(PROFILES * PHASES.flat().length);
  expect(statuses.filter((s) => s !== 200)).toEqual([]);
}

/** Stops the observer, then the topology; safe to call twice. */
async function stopStack(): Promise<ServiceRecord[]> {
  const records = [...(stack.observer?.services ?? []), ...(stack.lab?.state.services ?? [])];
  await stack.observer?.stop();
  await stack.lab?.down();
  return records;
}

const VALUES: Record<string, string> = {
  __rate_interval: RATE_WINDOW,
  topology: TOPOLOGY.name,
  server: Array.from({ length: TOPOLOGY.appServers }, (_, i) => appServerId(i)).join('|'),
  redis_node: 'redis-1',
  // k6 variables: no k6 run here, any value parses.
  testid: '.*',
};

const dashboards = Object.keys(DASHBOARDS).map((file) => {
  const text = readFileSync(join(REPO_ROOT, REPO_PATHS.generated, file), 'utf8');
  return { file, json: JSON.parse(text) as unknown };
});
const queries = dashboards.flatMap((d) => panelQueries(d.json));
const scraped = queries.filter((q) => !isK6Only(q.expr));
const k6Fed = queries.filter((q) => isK6Only(q.expr));

async function evaluate(query: PanelQuery) {
  const expr = substituteVariables(query.expr, { ...VALUES, run_id: stack.runId });
  return { expr, answer: await instantQuery(prometheusUrl(), expr) };
}

describe('observability of a native two-tier topology (Prometheus, exporters, dashboards)', () => {
  beforeAll(startStack, 150_000);
  afterAll(async () => {
    try {
      await stopStack();
    } finally {
      if (stack.runDir) await removeRunDir(stack.runDir);
    }
  }, 60_000);

  it('scrapes every target of the model, labelled with topology and run_id', async () => {
    const answer = await instantQuery(prometheusUrl(), `up{run_id="${stack.runId}"}`);
    // 2 app servers + the outbox invalidator + 1 Redis node (through the Redis exporter) + the
    // Postgres and nginx exporters.
    expect(hasInvalidator(TOPOLOGY)).toBe(true);
    expect(answer.result).toHaveLength(TOPOLOGY.appServers + 1 + 1 + 2);
    for (const sample of answer.result) {
      expect(sample.value[1]).toBe('1');
      expect(sample.metric).toMatchObject({ topology: TOPOLOGY.name, run_id: stack.runId });
    }
    const servers = await labelValues(prometheusUrl(), 'server', 'cachelab_l1_entries');
    expect(servers).toEqual(['app-1', 'app-2']);
    const invalidator = await labelValues(
      prometheusUrl(),
      'server',
      'cachelab_invalidator_pending',
    );
    expect(invalidator).toEqual(['invalidator']);
    expect(await labelValues(prometheusUrl(), 'redis_node', 'redis_up')).toEqual(['redis-1']);
  });

  it('the Cache tiers dashboard charts every metric family the invalidator exports', async () => {
    const family = (name: string) => name.replace(/_(bucket|sum|count)$/, '');
    const exported = await labelValues(
      prometheusUrl(),
      '__name__',
      `{run_id="${stack.runId}", server="invalidator"}`,
    );
    const own = exported.filter(
      (n) =>
        n.startsWith('cachelab_invalidator_') && !/^cachelab_invalidator_(process|nodejs)_/.test(n),
    );
    const families = [...new Set(own.map(family))].sort();
    expect(families).toContain('cachelab_invalidator_lag_seconds');
    const tiers = dashboards.find((d) => d.file === 'cache-tiers.json');
    const charted = new Set(
      panelQueries(tiers?.json).flatMap((q) => metricNames(q.expr).map(family)),
    );
    expect(families.filter((f) => !charted.has(f))).toEqual([]);
  });

  it('accepts k6 remote write (an empty snappy-encoded WriteRequest is answered 204)', async () => {
    const res = await fetch(`${prometheusUrl()}/api/v1/write`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-protobuf',
        'Content-Encoding': 'snappy',
        'X-Prometheus-Remote-Write-Version': '0.1.0',
      },
      body: new Uint8Array([0]), // snappy block of zero bytes = an empty WriteRequest
    });
    expect(res.status).toBe(204);
  });

  it('has panels of both kinds to check', () => {
    expect(scraped.length).toBeGreaterThan(40);
    expect(k6Fed.length).toBeGreaterThan(10);
  });

  it.each(scraped)(
    '$dashboard / $panel [$refId] returns data from the live Prometheus',
    async (q) => {
      const { expr, answer } = await evaluate(q);
      expect(answer.status, `${expr}: ${answer.error}`).toBe('success');
      expect(hasFiniteSample(answer), `no finite sample for ${expr}`).toBe(true);
    },
  );

  it.each(k6Fed)(
    '$dashboard / $panel [$refId] is fed only by k6 remote write: it parses in Prometheus (result may be empty)',
    async (q) => {
      const { expr, answer } = await evaluate(q);
      expect(answer.status, `${expr}: ${answer.error}`).toBe('success');
    },
  );

  it('dashboard variables resolve to this run in the live Prometheus', async () => {
    const comparison = dashboards.find((d) => d.file === 'topology-comparison.json');
    const variables = dashboardVariables(comparison?.json);
    expect(variables.map((v) => v.name)).toEqual(['topology', 'run_id']);
    const topologies = await labelValues(
      prometheusUrl(),
      'topology',
      'cachelab_http_request_duration_seconds_count',
    );
    const offered = topologies.filter((t) => new RegExp(variables[0]?.regex ?? '').test(t));
    expect(offered).toContain(TOPOLOGY.name);
    const runs = await labelValues(
      prometheusUrl(),
      'run_id',
      `cachelab_http_request_duration_seconds_count{topology=~"${TOPOLOGY.name}"}`,
    );
    expect(runs).toContain(stack.runId);
  });

  it('provisioning: dashboards path and datasource uid match every panel, target and variable', async () => {
    const provider = parse(await readFile(join(REPO_ROOT, REPO_PATHS.providerFile), 'utf8'));
    expect(provider.providers[0].options.path).toBe(GRAFANA_CONTAINER_PATHS.dashboards);
    const datasource = parse(await readFile(join(REPO_ROOT, REPO_PATHS.datasourceFile), 'utf8'));
    expect(datasource.datasources[0]).toMatchObject({ uid: DATASOURCE_UID, type: 'prometheus' });
    for (const d of dashboards) {
      const wrong = datasourceUids(d.json).filter((ref) => ref.uid !== DATASOURCE_UID);
      expect(wrong, d.file).toEqual([]);
    }
  });

  it('promtool accepts the native and the compose prometheus.yml', async () => {
    const run = promisify(execFile);
    const composePath = join(stack.runDir, 'prometheus-compose.yml');
    const compose = composeObservability(TOPOLOGY, { runId: 'compose' });
    await writeFile(composePath, compose.prometheusYaml);
    for (const path of [stack.handle?.configPath ?? '', composePath]) {
      const { stdout } = await run('promtool', ['check', 'config', path]);
      expect(stdout).toMatch(/SUCCESS/);
    }
  });

  it('stops everything: no process and no port left', async () => {
    const records = await stopStack();
    expect(
      records
        .filter((r) => r.role === 'observer')
        .map((r) => r.name)
        .sort(),
    ).toEqual(['nginx-exporter', 'postgres-exporter', 'prometheus', 'redis-exporter']);
    expect(await findLeftovers(records)).toEqual({ alive: [], busyPorts: [] });
  });
});
