import { access, copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAppServer } from '../../run/processes/app-server.ts';
import { waitUntil } from '../../run/processes/managed-process.ts';
import type { BenchEnv } from '../bench-env.ts';
import { BENCH_RESULTS_DIR } from '../bench-results.ts';
import {
  type CpuProfile,
  type ProfileSummary,
  summarizeProfile,
} from '../cpu-profile/cpu-profile.ts';
import type { LoadPlan } from './ceiling-run.ts';
import { fillTarget, HOT_KEYS, startBare, writeBodyFile } from './ceiling-targets.ts';
import { runLoadGenerator } from './load-generator.ts';

/** One profiled server under the L1-hit load. */
export interface ProfiledRun {
  name: string;
  rps: number;
  requests: number;
  /** Busy (non-idle) CPU time of the server's main thread per request, in µs. */
  busyUsPerRequest: number;
  summary: ProfileSummary;
  /** Copy of the raw .cpuprofile under results/bench/ (open it in Chrome DevTools). */
  file: string;
}

const TOGGLE = fileURLToPath(new URL('../cpu-profile/profiler-toggle.ts', import.meta.url));
const PROFILED_APP = fileURLToPath(
  new URL('../cpu-profile/profiled-app-server.ts', import.meta.url),
);

const exists = (path: string) => async () =>
  access(path).then(
    () => true,
    () => false,
  );

/** Sends SIGUSR2 (see profiler-toggle.ts) and waits until `file` appears. */
async function toggle(pid: number, file: string, what: string): Promise<void> {
  process.kill(pid, 'SIGUSR2');
  await waitUntil(what, exists(file), { timeoutMs: 30_000, intervalMs: 20 });
}

/** Warms the server, then profiles exactly one measured load window. */
async function profiled(
  name: string,
  server: { url: string; pid: number },
  output: string,
  plan: LoadPlan,
): Promise<ProfiledRun> {
  const spec = { url: server.url, connections: plan.connections, keyCount: HOT_KEYS };
  await runLoadGenerator({ ...spec, durationSec: plan.warmupSec });
  await toggle(server.pid, `${output}.started`, `${name} profiler start`);
  const report = await runLoadGenerator({ ...spec, durationSec: plan.durationSec });
  await toggle(server.pid, output, `${name} profile written`);
  const raw = JSON.parse(await readFile(output, 'utf8')) as CpuProfile;
  const summary = summarizeProfile(raw, { ignore: /\/profiler-toggle\.ts$/ });
  const file = join(BENCH_RESULTS_DIR, `${name}.cpuprofile`);
  await mkdir(BENCH_RESULTS_DIR, { recursive: true });
  await copyFile(output, file);
  const busyUsPerRequest = (summary.busyMs * 1000) / Math.max(1, report.requests);
  return { name, rps: report.rps, requests: report.requests, busyUsPerRequest, summary, file };
}

/** The L1-hit app (CACHE_MODE=local) under the profiler toggle, warm, profiled, then stopped. */
async function profileApp(env: BenchEnv, output: string, plan: LoadPlan): Promise<ProfiledRun> {
  const { handle, users } = await env.postgres();
  const app = await startAppServer({
    runDir: env.runDir,
    name: 'app-l1-profiled',
    entry: PROFILED_APP,
    env: {
      ...{ TOPOLOGY: 'bench', LOG_LEVEL: 'warn', CACHE_MODE: 'local' },
      ...{ DATABASE_URL: handle.url, MAX_PROFILE_ID: String(users), BENCH_CPU_PROFILE: output },
    },
  });
  env.cleanup.push('app-l1-profiled', () => app.stop());
  const check = { metricsUrl: `${app.url}/metrics`, expect: 'HIT-L1' as const };
  const target = { id: 'profiled', label: 'profiled app', url: app.url, keyCount: HOT_KEYS };
  await fillTarget({ ...target, pids: [], check });
  const run = await profiled('l1-app', app, output, plan);
  await app.stop();
  return run;
}

/** Bare Express answering the same body, under the same toggle and load. */
async function profileExpress(env: BenchEnv, output: string, plan: LoadPlan): Promise<ProfiledRun> {
  const { profile } = await env.postgres();
  const bodyFile = await writeBodyFile(env, profile);
  const toggled = ['--import', TOGGLE];
  const bare = await startBare(env, 'express', bodyFile, {
    nodeFlags: toggled,
    env: { BENCH_CPU_PROFILE: output },
  });
  const run = await profiled('l1-bare-express', bare, output, plan);
  await bare.stop();
  return run;
}

/**
 * Profiles the L1-hit app and bare Express under the same load, one after the other, so the
 * difference between the two profiles is what the app adds on top of Express.
 */
export async function profileL1Path(env: BenchEnv, plan: LoadPlan): Promise<ProfiledRun[]> {
  const dir = join(env.runDir, 'cpu-prof');
  await mkdir(dir, { recursive: true });
  const app = await profileApp(env, join(dir, 'l1-app.cpuprofile'), plan);
  const express = await profileExpress(env, join(dir, 'l1-bare-express.cpuprofile'), plan);
  return [app, express];
}
