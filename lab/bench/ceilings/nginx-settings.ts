// Which nginx proxy settings pay for themselves: nginx's CPU per proxied request (L1 hits of one app
// server) under variants of the rendered config, beside nginx answering the same body itself.
// Run as a part of the bench: `cachelab bench --only nginx-settings [--quick]`.
import { cpuMsOf } from '../../measure/proc-cpu.ts';
import { renderNginxConfig } from '../../render/nginx/render-nginx.ts';
import { startNginx } from '../../run/processes/nginx.ts';
import { freePort } from '../../run/processes/ports.ts';
import { renderTable } from '../../text/table.ts';
import { getTopology } from '../../topology/catalog.ts';
import type { BenchEnv } from '../bench-env.ts';
import { saveBenchResult } from '../bench-results.ts';
import { atMost, type GoalVerdict, median } from '../bench-stats.ts';
import { machineInfo } from '../machine.ts';
import { fillTarget, HOT_KEYS, startApp } from './ceiling-targets.ts';
import { MAX_NGINX_OVER_FLOOR } from './ceilings.ts';
import { nginxFloorConfig } from './nginx-floor.ts';
import { runWrk } from './wrk-generator.ts';

/** A named change to the rendered proxy config. */
interface Variant {
  name: string;
  apply: (config: string) => string;
}

const inLocation = (extra: string[]) => (config: string) =>
  config.replace(
    '    proxy_http_version 1.1;',
    [...extra, 'proxy_http_version 1.1;'].join('\n    '),
  );

/** The variants measured: the config as rendered, and one change at a time. */
export const VARIANTS: readonly Variant[] = [
  { name: 'as rendered', apply: (c) => c },
  { name: 'no upstream keepalive', apply: (c) => c.replace(/\n\s*keepalive \d+;/, '') },
  {
    name: 'default 4k proxy buffers',
    apply: (c) => c.replace(/\n\s*proxy_buffer(_size|s) [^\n]*;/g, ''),
  },
  { name: 'proxy_buffering off', apply: inLocation(['proxy_buffering off;']) },
  {
    name: 'no X-Request-Id / X-Forwarded-For',
    apply: (c) => c.replace(/\n\s*proxy_set_header X-(Request-Id|Forwarded-For) [^\n]*;/g, ''),
  },
  {
    name: 'worker_processes 2',
    apply: (c) => c.replace('worker_processes 1;', 'worker_processes 2;'),
  },
];

interface Target {
  name: string;
  url: string;
  pid: number;
}

async function measure(target: Target, durationSec: number) {
  const before = await cpuMsOf([target.pid]);
  const report = await runWrk({
    url: target.url,
    connections: 32,
    durationSec,
    keyCount: HOT_KEYS,
    generator: 'wrk',
  });
  const cpuMs = (await cpuMsOf([target.pid])) - before;
  return {
    rps: report.rps,
    nginxCpuUs: (cpuMs * 1000) / Math.max(1, report.requests),
    errors: report.errors + report.non2xx,
  };
}

/** One nginx config variant's figures: medians over the rounds. */
export interface SettingsRow {
  variant: string;
  nginxCpuUsPerRequest: number;
  overFloor: number;
  rps: number;
  errors: number;
}

const FLOOR = 'floor: return 200, same body';

/** Starts one app server (L1 hits) and an nginx per variant in front of it, plus the floor nginx. */
async function startTargets(env: BenchEnv): Promise<Target[]> {
  const { handle, profile, users } = await env.postgres();
  const app = await startApp(env, 'app-l1', {
    DATABASE_URL: handle.url,
    MAX_PROFILE_ID: String(users),
    CACHE_MODE: 'local',
  });
  const topology = { ...getTopology('local'), appServers: 1 };
  const targets: Target[] = [];
  const start = async (name: string, config: (port: number) => string) => {
    const port = await freePort();
    const nginx = await startNginx({
      runDir: env.runDir,
      config: config(port),
      port,
      name: `nginx-settings-${targets.length}`,
    });
    env.cleanup.push(name, () => nginx.stop());
    targets.push({ name, url: nginx.url, pid: nginx.pid });
  };
  const rendered = (port: number) =>
    renderNginxConfig(topology, { listenPort: port, upstreams: [app.port] });
  for (const v of VARIANTS) await start(v.name, (port) => v.apply(rendered(port)));
  await start(FLOOR, (port) => nginxFloorConfig(rendered(port), profile.toString('utf8')));
  await fillTarget({
    id: 'l1',
    label: 'l1',
    url: app.url,
    keyCount: HOT_KEYS,
    pids: [],
    check: { metricsUrl: '', expect: 'HIT-L1' },
  });
  return targets;
}

/** The median of each variant's rounds, and its multiple of the floor's. */
export function settingsRows(
  runs: ReadonlyMap<string, readonly { rps: number; nginxCpuUs: number; errors: number }[]>,
): SettingsRow[] {
  const floor = median((runs.get(FLOOR) ?? []).map((r) => r.nginxCpuUs));
  return [...runs].map(([variant, rs]) => {
    const cpu = median(rs.map((r) => r.nginxCpuUs));
    return {
      variant,
      nginxCpuUsPerRequest: cpu,
      overFloor: cpu / floor,
      rps: median(rs.map((r) => r.rps)),
      errors: rs.reduce((sum, r) => sum + r.errors, 0),
    };
  });
}

function settingsTable(rows: readonly SettingsRow[]): string {
  const columns = [
    { header: 'nginx config' },
    { header: 'nginx CPU µs/req', right: true },
    { header: '× floor', right: true },
    { header: 'req/s (wrk)', right: true },
    { header: 'errors', right: true },
  ];
  return renderTable(
    columns,
    rows.map((r) => [
      r.variant,
      r.nginxCpuUsPerRequest.toFixed(1),
      `${r.overFloor.toFixed(2)}×`,
      r.rps.toFixed(0),
      String(r.errors),
    ]),
  );
}

/**
 * The nginx-settings part of `cachelab bench`: every variant and the floor measured round-robin,
 * printed as a table and saved to results/bench/nginx-settings.json.
 */
export async function runNginxSettings(
  env: BenchEnv,
  options: { quick: boolean; log: (text: string) => void },
): Promise<{ path: string; goals: GoalVerdict[] }> {
  const { quick, log } = options;
  const targets = await startTargets(env);
  const reps = quick ? 2 : 5;
  const durationSec = quick ? 2 : 4;
  log(`nginx-settings: ${targets.length} configs, ${reps} × ${durationSec} s each`);
  const runs = new Map<string, { rps: number; nginxCpuUs: number; errors: number }[]>();
  for (let rep = 1; rep <= reps; rep++) {
    for (const target of targets) {
      const run = await measure(target, durationSec);
      runs.set(target.name, [...(runs.get(target.name) ?? []), run]);
      log(`  rep ${rep}/${reps} ${target.name}: ${run.nginxCpuUs.toFixed(1)} µs/req`);
    }
  }
  const rows = settingsRows(runs);
  log(settingsTable(rows));
  log(
    `median of ${reps} × ${durationSec} s per config (round-robin), wrk 2 threads, 32 connections, L1 hits of one app server.`,
  );
  const saved = {
    benchmark: 'nginx-settings',
    at: new Date().toISOString(),
    machine: machineInfo(),
    quick,
    reps,
    durationSec,
    rows,
  };
  const rendered = rows.find((r) => r.variant === 'as rendered');
  const goal = atMost(
    'nginx-settings: the rendered config’s CPU per proxied request ≤ 1.5× its floor',
    rendered?.overFloor ?? null,
    MAX_NGINX_OVER_FLOOR,
    (x) => `${x.toFixed(2)}×`,
  );
  return { path: await saveBenchResult('nginx-settings.json', saved), goals: [goal] };
}
