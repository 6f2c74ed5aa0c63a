// Which nginx proxy settings pay for themselves: nginx's CPU per proxied request (L1 hits of one app
// server) under variants of the rendered config, beside nginx answering the same body itself, every
// config paced at the same offered rate. Run as a part of the bench:
// `cachelab bench --only nginx-settings [--quick]`.
import { renderNginxConfig } from '../../render/nginx/render-nginx.ts';
import { startNginx } from '../../run/processes/nginx.ts';
import { freePort } from '../../run/processes/ports.ts';
import { renderTable } from '../../text/table.ts';
import { getTopology } from '../../topology/catalog.ts';
import type { BenchEnv } from '../bench-env.ts';
import { saveBenchResult } from '../bench-results.ts';
import type { GoalVerdict } from '../bench-stats.ts';
import { median } from '../bench-stats.ts';
import { machineInfo } from '../machine.ts';
import {
  bareSocketPath,
  fillTarget,
  HOT_KEYS,
  startApp,
  startBare,
  writeBodyFile,
} from './ceiling-targets.ts';
import {
  compareWithFloor,
  floorGoal,
  keptPace,
  measureRoundRobin,
  type NginxUnderTest,
  PACED_CONNECTIONS,
  type PacedRun,
  pacedRate,
} from './nginx-cost.ts';
import { nginxFloorConfig } from './nginx-floor.ts';
import { runWrk } from './wrk-generator.ts';

/** Where the upstream variants send requests: a bare node:http answering the same body. */
export interface BareUpstreams {
  /** host:port */
  tcp: string;
  /** unix:<path> */
  unix: string;
}

/** A named change to the rendered proxy config. */
interface Variant {
  name: string;
  apply: (config: string, bare: BareUpstreams) => string;
}

/** The rendered upstream's one server line pointed at `address`, its parameters kept. */
const upstreamAt = (config: string, address: string) =>
  config.replace(/(\n\s*server )127\.0\.0\.1:\d+( [^\n]*;)/, `$1${address}$2`);

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
    name: 'access_log off (the floor keeps its buffered log)',
    apply: (c) => c.replace(/access_log \S+ upstream [^\n]*;/, 'access_log off;'),
  },
  {
    name: 'no error_page (JSON errors)',
    apply: (c) => c.replace(/\n\s*error_page [^\n]*;/g, ''),
  },
  {
    name: 'worker_processes 2',
    apply: (c) => c.replace('worker_processes 1;', 'worker_processes 2;'),
  },
  {
    name: 'worker pinned to CPU 1',
    apply: (c) => c.replace('worker_processes 1;', 'worker_processes 1;\nworker_cpu_affinity 10;'),
  },
  // The transport's share: the same config in front of a bare server, over TCP and a Unix socket.
  { name: 'upstream: bare node:http, same body (TCP)', apply: (c, b) => upstreamAt(c, b.tcp) },
  {
    name: 'upstream: bare node:http, same body (Unix socket)',
    apply: (c, b) => upstreamAt(c, b.unix),
  },
];

/** One nginx config variant's figures: medians over the rounds, all at one offered rate. */
export interface SettingsRow {
  variant: string;
  nginxCpuUsPerRequest: number;
  overFloor: number;
  offeredRps: number;
  rps: number;
  /** The median round achieved ≥ 95 % of the offered rate. */
  keptPace: boolean;
  errors: number;
}

const FLOOR = 'floor: return 200, same body';

/** Starts one app server (L1 hits) and an nginx per variant in front of it, plus the floor nginx. */
async function startTargets(env: BenchEnv): Promise<NginxUnderTest[]> {
  const { handle, profile, users } = await env.postgres();
  const app = await startApp(env, 'app-l1', {
    DATABASE_URL: handle.url,
    MAX_PROFILE_ID: String(users),
    CACHE_MODE: 'local',
  });
  const socket = await bareSocketPath(env.cleanup);
  const bodyFile = await writeBodyFile(env, profile);
  const bare = await startBare(env, 'http', bodyFile, { unixSocket: socket });
  const upstreams: BareUpstreams = { tcp: `127.0.0.1:${bare.port}`, unix: `unix:${socket}` };
  const topology = { ...getTopology('local'), appServers: 1 };
  const targets: NginxUnderTest[] = [];
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
  for (const v of VARIANTS) await start(v.name, (port) => v.apply(rendered(port), upstreams));
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
export function settingsRows(runs: ReadonlyMap<string, readonly PacedRun[]>): SettingsRow[] {
  const floor = median((runs.get(FLOOR) ?? []).map((r) => r.nginxCpuUs));
  return [...runs].map(([variant, rs]) => {
    const cpu = median(rs.map((r) => r.nginxCpuUs));
    return {
      variant,
      nginxCpuUsPerRequest: cpu,
      overFloor: cpu / floor,
      offeredRps: rs[0]?.offeredRps ?? Number.NaN,
      rps: median(rs.map((r) => r.rps)),
      keptPace: keptPace(rs),
      errors: rs.reduce((sum, r) => sum + r.errors, 0),
    };
  });
}

/** The table of the rows as printed; a row with errors is marked, its cost not like-for-like. */
export function settingsTable(rows: readonly SettingsRow[]): string {
  const columns = [
    { header: 'nginx config' },
    { header: 'nginx CPU µs/req', right: true },
    { header: '× floor', right: true },
    { header: 'req/s offered → achieved', right: true },
    { header: 'errors', right: true },
  ];
  return renderTable(
    columns,
    rows.map((r) => [
      r.variant,
      r.nginxCpuUsPerRequest.toFixed(1),
      // Failed requests are cheap for nginx: a row with errors is not a like-for-like cost.
      `${r.overFloor.toFixed(2)}×${r.errors > 0 ? ' (has errors)' : ''}`,
      `${r.offeredRps} → ${r.rps.toFixed(0)}${r.keptPace ? '' : ' (fell behind)'}`,
      String(r.errors),
    ]),
  );
}

/** Closed-loop probes of the rendered config's ceiling; the highest counts (a stall only lowers one). */
const PROBES = 3;

/**
 * The offered rate of every config: half the closed-loop wrk ceiling of the rendered config (the
 * first target), probed here; every target then gets one paced warm-up second at that rate.
 */
async function paceFor(
  targets: readonly NginxUnderTest[],
  durationSec: number,
  log: (text: string) => void,
): Promise<number> {
  const spec = { connections: PACED_CONNECTIONS, keyCount: HOT_KEYS, generator: 'wrk' as const };
  const probe = { rps: 0 };
  for (let i = 0; i < PROBES; i++) {
    const run = await runWrk({ ...spec, url: targets[0]?.url ?? '', durationSec });
    probe.rps = Math.max(probe.rps, run.rps);
  }
  const rateRps = pacedRate(probe.rps);
  log(
    `nginx-settings: rendered config's wrk ceiling ${probe.rps.toFixed(0)} req/s; every config paced at ${rateRps} req/s`,
  );
  for (const target of targets)
    await runWrk({ ...spec, url: target.url, durationSec: 1, ratePerSec: rateRps });
  return rateRps;
}

/**
 * The nginx-settings part of `cachelab bench`: every variant and the floor, paced at one offered rate
 * and measured round-robin, printed as a table and saved to results/bench/nginx-settings.json.
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
  const rateRps = await paceFor(targets, durationSec, log);
  const plan = { rateRps, repetitions: reps, durationSec, keyCount: HOT_KEYS };
  const runs = await measureRoundRobin(targets, plan, log);
  const rows = settingsRows(runs);
  log(settingsTable(rows));
  log(
    `median of ${reps} × ${durationSec} s per config (round-robin), wrk 2 threads, ${PACED_CONNECTIONS} connections paced at ${rateRps} req/s, L1 hits of one app server; CPU of the nginx master + workers only. The floor is the rendered config with \`location /\` answering the same body itself (return 200): same workers, keepalive, buffered access log, error pages.`,
  );
  const comparison = compareWithFloor(runs.get('as rendered') ?? [], runs.get(FLOOR) ?? []);
  const goal = floorGoal(
    'nginx-settings: the rendered config’s CPU per proxied request ≤ 1.5× its floor',
    comparison,
  );
  const saved = {
    benchmark: 'nginx-settings',
    at: new Date().toISOString(),
    machine: machineInfo(),
    quick,
    reps,
    durationSec,
    offeredRps: rateRps,
    connections: PACED_CONNECTIONS,
    rows,
    goal,
  };
  return { path: await saveBenchResult('nginx-settings.json', saved), goals: [goal] };
}
