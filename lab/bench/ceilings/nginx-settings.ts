// Which nginx proxy settings pay for themselves: nginx's CPU per proxied request (L1 hits of one app
// server) under variants of the rendered config, beside nginx answering the same body itself.
//   node --import tsx lab/bench/ceilings/nginx-settings.ts [--quick]
// Prints a table and saves results/bench/nginx-settings.json.
import { cpuMsOf } from '../../measure/proc-cpu.ts';
import { renderNginxConfig } from '../../render/nginx/render-nginx.ts';
import { startNginx } from '../../run/processes/nginx.ts';
import { freePort } from '../../run/processes/ports.ts';
import { renderTable } from '../../text/table.ts';
import { getTopology } from '../../topology/catalog.ts';
import { createBenchEnv } from '../bench-env.ts';
import { saveBenchResult } from '../bench-results.ts';
import { median } from '../bench-stats.ts';
import { machineInfo } from '../machine.ts';
import { fillTarget, HOT_KEYS, startApp } from './ceiling-targets.ts';
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
    name: 'buffers fit the body (16k)',
    apply: inLocation(['proxy_buffer_size 16k;', 'proxy_buffers 4 16k;']),
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

async function main(quick: boolean): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const env = await createBenchEnv({ seedUsers: 1_000, log });
  try {
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
        name: `nginx-${targets.length}`,
      });
      env.cleanup.push(name, () => nginx.stop());
      targets.push({ name, url: nginx.url, pid: nginx.pid });
    };
    const rendered = (port: number) =>
      renderNginxConfig(topology, { listenPort: port, upstreams: [app.port] });
    for (const v of VARIANTS) await start(v.name, (port) => v.apply(rendered(port)));
    await start('floor: return 200, same body', (port) =>
      nginxFloorConfig(rendered(port), profile.toString('utf8')),
    );
    await fillTarget({
      id: 'l1',
      label: 'l1',
      url: app.url,
      keyCount: HOT_KEYS,
      pids: [],
      check: { metricsUrl: '', expect: 'HIT-L1' },
    });
    const reps = quick ? 2 : 5;
    const durationSec = quick ? 2 : 4;
    const runs = new Map<string, { rps: number; nginxCpuUs: number; errors: number }[]>();
    for (let rep = 1; rep <= reps; rep++) {
      for (const target of targets) {
        const run = await measure(target, durationSec);
        runs.set(target.name, [...(runs.get(target.name) ?? []), run]);
        log(`  rep ${rep}/${reps} ${target.name}: ${run.nginxCpuUs.toFixed(1)} µs/req`);
      }
    }
    const floorName = targets.at(-1)?.name ?? '';
    const floor = median((runs.get(floorName) ?? []).map((r) => r.nginxCpuUs));
    const rows = targets.map((t) => {
      const rs = runs.get(t.name) ?? [];
      const cpu = median(rs.map((r) => r.nginxCpuUs));
      return {
        variant: t.name,
        nginxCpuUsPerRequest: cpu,
        overFloor: cpu / floor,
        rps: median(rs.map((r) => r.rps)),
        errors: rs.reduce((s, r) => s + r.errors, 0),
      };
    });
    const columns = [
      { header: 'nginx config' },
      { header: 'nginx CPU µs/req', right: true },
      { header: '× floor', right: true },
      { header: 'req/s (wrk)', right: true },
      { header: 'errors', right: true },
    ];
    log(
      renderTable(
        columns,
        rows.map((r) => [
          r.variant,
          r.nginxCpuUsPerRequest.toFixed(1),
          `${r.overFloor.toFixed(2)}×`,
          r.rps.toFixed(0),
          String(r.errors),
        ]),
      ),
    );
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
    log(`saved: ${await saveBenchResult('nginx-settings.json', saved)}`);
  } finally {
    await env.close();
  }
}

await main(process.argv.includes('--quick'));
