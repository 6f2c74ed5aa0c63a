// The Node load runner against a fake profile API on 127.0.0.1 (the runner is under test, not the app).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunResult } from '../loadtests/result-format.ts';
import { type RunLoadOptions, runLoad } from '../loadtests/runner/run-load.ts';
import { startFakeProfileApi } from '../loadtests/testing/fake-profile-api.ts';
import type { WorkloadSpec } from '../loadtests/workload.ts';

const base: Omit<RunLoadOptions, 'baseUrl'> = {
  workload: 'read-heavy',
  keyCount: 100,
  rate: 100,
  durationSec: 1,
  warmupSec: 0,
  seed: 1,
  timeoutMs: 2000,
  maxInFlight: 1000,
  topology: 'fake',
  // The machine is shared by parallel jobs: allow generous lag unless a test is about lag.
  maxLagP99Ms: 500,
};

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('runLoad (open model)', () => {
  it('keeps starting requests on schedule while the server stalls 500 ms', async () => {
    await using api = await startFakeProfileApi({ latencyMs: 500 });
    const r = await runLoad({ ...base, baseUrl: api.url, rate: 100, durationSec: 2 });
    // A closed loop would have waited for answers; the open loop started every scheduled request.
    expect(r.requests).toMatchObject({ scheduled: 200, sent: 200, dropped: 0, completed: 200 });
    expect(api.arrivals).toHaveLength(200);
    // About 50 requests waited on the stall together; a closed loop would have had one at a time.
    expect(api.concurrency.max).toBeGreaterThan(20);
    const spreadMs = (api.arrivals.at(-1) ?? 0) - (api.arrivals[0] ?? 0);
    expect(spreadMs).toBeLessThan(2000 + 1000);
    expect(r.latencyMs.p50).toBeGreaterThanOrEqual(500);
    expect(r.latencyMs.count).toBe(200);
    expect(r.invalidReasons).toEqual([]);
    expect(parseRunResult(r)).toEqual(r);
  });

  it('excludes the warm-up from every measured figure', async () => {
    await using api = await startFakeProfileApi();
    const r = await runLoad({ ...base, baseUrl: api.url, rate: 100, warmupSec: 1, durationSec: 1 });
    expect(api.arrivals).toHaveLength(200);
    expect(r.requests.scheduled).toBe(100);
    expect(r.latencyMs.count).toBe(100);
    expect(r.requests.reads + r.requests.writes).toBe(100);
    expect(Object.values(r.servedBy).reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('counts starts beyond the in-flight cap as dropped and marks the run invalid', async () => {
    await using api = await startFakeProfileApi({ latencyMs: 300 });
    const r = await runLoad({ ...base, baseUrl: api.url, rate: 200, maxInFlight: 10 });
    expect(r.requests.dropped).toBeGreaterThan(0);
    expect(r.requests.sent + r.requests.dropped).toBe(r.requests.scheduled);
    expect(api.arrivals).toHaveLength(r.requests.sent);
    // At most 10 in flight, each held >= 300 ms, within ~1.3 s of schedule.
    expect(r.requests.sent).toBeLessThanOrEqual(10 * 5);
    expect(r.valid).toBe(false);
    expect(r.invalidReasons.join()).toMatch(/dropped/);
  });

  it('catches up after a blocked event loop and flags the scheduling lag', async () => {
    await using api = await startFakeProfileApi();
    let blocked = false;
    const block = () => {
      if (blocked) return;
      blocked = true;
      const until = performance.now() + 150;
      while (performance.now() < until) {} // deliberately starve the scheduler once
    };
    const r = await runLoad({
      ...base,
      baseUrl: api.url,
      rate: 200,
      maxLagP99Ms: 50,
      progressIntervalMs: 300,
      onProgress: block,
    });
    expect(blocked).toBe(true);
    expect(r.requests).toMatchObject({ scheduled: 200, sent: 200, dropped: 0 });
    expect(r.schedulingLagMs?.max).toBeGreaterThanOrEqual(100);
    expect(r.invalidReasons.join()).toMatch(/scheduling lag p99/);
  });

  it('spreads over worker threads with the same schedule, counts and totals as one thread', async () => {
    await using api = await startFakeProfileApi({ servers: ['a', 'b'] });
    const one = await runLoad({ ...base, baseUrl: api.url, rate: 300, workers: 1 });
    const two = await runLoad({ ...base, baseUrl: api.url, rate: 300, workers: 2 });
    expect(two.generatorCpu?.workers).toBe(2);
    expect(one.generatorCpu?.workers).toBe(1);
    // The operation stream is deterministic and split by key: the same requests, in two threads.
    expect(two.requests).toEqual(one.requests);
    expect(two.latencyMs.count).toBe(one.latencyMs.count);
    expect(two.latencyMsByOp.write?.count).toBe(one.latencyMsByOp.write?.count);
    expect(two.cacheResults).toEqual(one.cacheResults);
    expect((two.servedBy.a ?? 0) + (two.servedBy.b ?? 0)).toBe(300);
    expect(api.arrivals).toHaveLength(600);
    expect(two.generatorCpu?.cpuMs).toBeGreaterThan(0);
    expect(two.invalidReasons).toEqual([]);
    expect(parseRunResult(two)).toEqual(two);
  });

  it('marks a window invalid when the generator event loop was saturated', async () => {
    await using api = await startFakeProfileApi();
    const busy = () => {
      const until = performance.now() + 150;
      while (performance.now() < until) {} // deliberately keep the generator's loop busy
    };
    const r = await runLoad({
      ...base,
      baseUrl: api.url,
      rate: 100,
      maxLagP99Ms: 10_000,
      progressIntervalMs: 100,
      onProgress: busy,
    });
    expect(r.generatorCpu?.maxEventLoopUtilization).toBeGreaterThan(0.9);
    expect(r.valid).toBe(false);
    // Saturated by its own work, or starved when the shared machine gives the spinning loop little CPU.
    expect(r.invalidReasons.join()).toMatch(
      /generator CPU(-starved| saturated).*its busiest event loop/,
    );
  });

  it('tallies X-Cache and X-Served-By', async () => {
    await using api = await startFakeProfileApi({ servers: ['a', 'b'] });
    const r = await runLoad({ ...base, baseUrl: api.url, rate: 200 });
    expect(r.cacheResults).toEqual({ MISS: r.requests.reads });
    expect(r.latencyMsByCacheResult.MISS?.count).toBe(r.requests.reads);
    expect(r.servedBy).toEqual({ a: 100, b: 100 });
    expect(r.latencyMsByOp.write?.count).toBe(r.requests.writes);
  });
});

describe('runLoad (stale reads)', () => {
  const mixed: WorkloadSpec = {
    name: 'one-key',
    readRatio: 0.8,
    distribution: { kind: 'uniform' },
  };

  it('detects reads that miss an acknowledged write, and the longest window', async () => {
    await using api = await startFakeProfileApi({ staleForMs: 200 });
    const r = await runLoad({ ...base, baseUrl: api.url, workload: mixed, keyCount: 1, rate: 200 });
    expect(r.staleReads).toBeGreaterThan(0);
    expect(r.staleReadRate).toBeGreaterThan(0);
    expect(r.maxStaleWindowMs).toBeGreaterThan(0);
    // Exact bound (one clock): a read is judged by its start, which precedes the fake's arrival time,
    // and the ack leaves the fake after the write; the fake serves old data for under 200 ms.
    expect(r.maxStaleWindowMs).toBeLessThan(200);
  });

  it('reports no stale read when the server is consistent', async () => {
    await using api = await startFakeProfileApi({ staleForMs: 0 });
    const r = await runLoad({ ...base, baseUrl: api.url, workload: mixed, keyCount: 1, rate: 200 });
    expect(r.requests.writes).toBeGreaterThan(0);
    expect(r.staleReads).toBe(0);
    expect(r.maxStaleWindowMs).toBe(0);
  });
});

describe('runLoad (errors and bounds)', () => {
  it.each([
    [500, 'http5xx'],
    [404, 'http4xx'],
  ] as const)('counts HTTP %i as %s', async (status, errorClass) => {
    await using api = await startFakeProfileApi({ failStatus: status });
    const r = await runLoad({ ...base, baseUrl: api.url });
    expect(r.errors[errorClass]).toBe(100);
    expect(r.errorSamples).toEqual({ [errorClass]: `HTTP ${status}` });
    expect(r.requests.completed).toBe(100);
    expect(r.cacheResults).toEqual({ NONE: r.requests.reads });
  });

  it('counts a refused connection as a connection error', async () => {
    const r = await runLoad({ ...base, baseUrl: `http://127.0.0.1:${await closedPort()}` });
    expect(r.errors.connection).toBe(100);
    expect(r.errorSamples.connection).toMatch(/ECONNREFUSED/);
    expect(r.requests.completed).toBe(0);
    expect(r.latencyMs.count).toBe(0);
  });

  it('times requests out and ends within duration + timeout + grace', async () => {
    await using api = await startFakeProfileApi({ latencyMs: 30_000 });
    const t0 = performance.now();
    const r = await runLoad({ ...base, baseUrl: api.url, timeoutMs: 300 });
    expect(performance.now() - t0).toBeLessThan(1000 + 300 + 1000 + 1500);
    expect(r.errors.timeout).toBe(100);
    expect(r.latencyMs.p50).toBeGreaterThanOrEqual(300);
  });
});

describe('load-runner CLI', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cachelab-load-runner-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a summary and writes a schema-valid RunResult', async () => {
    await using api = await startFakeProfileApi();
    const out = join(dir, 'nested', 'results.json');
    const args = ['--import', 'tsx', 'loadtests/runner/main.ts', '--url', api.url, '--rate', '50'];
    args.push('--duration', '1', '--warmup', '0', '--keys', '10', '--out', out, '--quiet');
    const { stdout } = await promisify(execFile)(process.execPath, args, { timeout: 30_000 });
    expect(stdout).toContain('cachelab load run [node]');
    const result = parseRunResult(JSON.parse(await readFile(out, 'utf8')));
    expect(result.requests.scheduled).toBe(50);
    expect(result.keyCount).toBe(10);
  });
});
