import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CacheResult } from '../../../services/app/src/cache/cache-types.ts';
import { renderNginxConfig } from '../../render/nginx/render-nginx.ts';
import { REPO_ROOT } from '../../repo-root.ts';
import { type AppServerHandle, startAppServer } from '../../run/processes/app-server.ts';
import { spawnManaged, waitUntil } from '../../run/processes/managed-process.ts';
import { canConnect, canConnectPath } from '../../run/processes/net-checks.ts';
import { startNginx } from '../../run/processes/nginx.ts';
import { freePort } from '../../run/processes/ports.ts';
import { getTopology } from '../../topology/catalog.ts';
import type { BenchEnv } from '../bench-env.ts';
import { nginxFloorConfig } from './nginx-floor.ts';

/** One server the ceilings part loads. */
export interface CeilingTarget {
  id: string;
  /** What the row is called in the table. */
  label: string;
  url: string;
  /** Requests go to /profiles/1..keyCount. */
  keyCount: number;
  /** Server processes whose CPU time a request costs (nginx: master, its workers via ppid, the app). */
  pids: number[];
  /** nginx's own processes, when the target goes through nginx (its CPU is also reported apart). */
  nginxPids?: number[];
  /** App targets: where the read counters are, and the X-Cache result every read should have. */
  check?: { metricsUrl: string; expect: CacheResult };
}

const BARE_SERVER = fileURLToPath(new URL('./bare-server.ts', import.meta.url));
/** L1 path: a hot set small enough to stay in every L1. */
export const HOT_KEYS = 100;
/** L2 path: enough keys that concurrent reads rarely share one in-flight Redis GET. */
const L2_KEYS = 2_000;

/** How startBare runs its server beyond the defaults. */
export interface BareOptions {
  /** Go after tsx's --import (e.g. another --import). */
  nodeFlags?: readonly string[];
  env?: Record<string, string>;
  /** Also answer on this Unix socket (a path that does not exist yet). */
  unixSocket?: string;
}

/**
 * Starts a bare node:http or Express server answering the body in `bodyFile` on every GET.
 * Registered for cleanup.
 */
export async function startBare(
  env: Pick<BenchEnv, 'runDir' | 'cleanup'>,
  kind: 'http' | 'express',
  bodyFile: string,
  options: BareOptions = {},
): Promise<{ url: string; port: number; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const socket = options.unixSocket ? [options.unixSocket] : [];
  const proc = await spawnManaged({
    name: `bare-${kind}-${port}`,
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      ...(options.nodeFlags ?? []),
      BARE_SERVER,
      kind,
      bodyFile,
      String(port),
      ...socket,
    ],
    runDir: env.runDir,
    cwd: REPO_ROOT,
    env: options.env ?? {},
  });
  const stop = async () => void (await proc.stop());
  env.cleanup.push(`bare ${kind}`, stop);
  const listening = async () =>
    (await canConnect(port)) && (!options.unixSocket || (await canConnectPath(options.unixSocket)));
  await waitUntil(`bare ${kind} on ${port}`, listening, { timeoutMs: 30_000, proc });
  return { url: `http://127.0.0.1:${port}`, port, pid: proc.pid, stop };
}

/**
 * A fresh path for a bare server's Unix socket, in a short folder under the system's temp (socket
 * paths are limited to 107 bytes) that nginx's workers, another user, can enter. Removed on cleanup.
 */
export async function bareSocketPath(cleanup: BenchEnv['cleanup']): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'cachelab-bare-'));
  cleanup.push('bare socket folder', () => rm(folder, { recursive: true, force: true }));
  await chmod(folder, 0o755);
  return join(folder, 'bare.sock');
}

/** Writes the profile body where the bare servers read it (once per run folder). */
export async function writeBodyFile(env: BenchEnv, profile: Buffer): Promise<string> {
  const bodyFile = join(env.runDir, 'profile-body.json');
  await writeFile(bodyFile, profile);
  return bodyFile;
}

/** Starts an app server with the bench's settings; registered for cleanup. */
export async function startApp(
  env: BenchEnv,
  name: string,
  appEnv: Record<string, string>,
): Promise<AppServerHandle> {
  const app = await startAppServer({
    runDir: env.runDir,
    name,
    env: { TOPOLOGY: 'bench', LOG_LEVEL: 'warn', ...appEnv },
  });
  env.cleanup.push(name, () => app.stop());
  return app;
}

/** The nginx.conf the topologies render, in front of one app (one worker, keepalive upstream). */
function proxyConfig(listenPort: number, appPort: number): string {
  const topology = { ...getTopology('local'), appServers: 1 };
  return renderNginxConfig(topology, { listenPort, upstreams: [appPort] });
}

/** nginx as the topologies render it, in front of one app. */
async function startProxy(env: BenchEnv, app: AppServerHandle) {
  const listenPort = await freePort();
  const config = proxyConfig(listenPort, app.port);
  const nginx = await startNginx({
    runDir: env.runDir,
    config,
    port: listenPort,
    name: 'nginx-bench',
  });
  env.cleanup.push('nginx', () => nginx.stop());
  return nginx;
}

/** The same nginx answering the profile body itself (`return 200`): its floor. */
async function startFloor(env: BenchEnv, body: Buffer) {
  const listenPort = await freePort();
  // The upstream port is never used: the floor does not proxy.
  const config = nginxFloorConfig(proxyConfig(listenPort, listenPort), body.toString('utf8'));
  const nginx = await startNginx({
    runDir: env.runDir,
    config,
    port: listenPort,
    name: 'nginx-floor',
  });
  env.cleanup.push('nginx floor', () => nginx.stop());
  return nginx;
}

function appTarget(
  id: string,
  label: string,
  app: AppServerHandle,
  keys: number,
  expect: CacheResult,
): CeilingTarget {
  const check = { metricsUrl: `${app.url}/metrics`, expect };
  return { id, label, url: app.url, keyCount: keys, pids: [app.pid], check };
}

/** Starts every server of the ceilings part (each registered for cleanup as soon as it runs). */
async function startServers(env: BenchEnv) {
  const [{ handle, profile, users }, redis] = await Promise.all([env.postgres(), env.redis()]);
  const bodyFile = await writeBodyFile(env, profile);
  const db = { DATABASE_URL: handle.url, MAX_PROFILE_ID: String(users) };
  const [http, express, l1, l2, miss] = await Promise.all([
    startBare(env, 'http', bodyFile),
    startBare(env, 'express', bodyFile),
    startApp(env, 'app-l1', { ...db, CACHE_MODE: 'local' }),
    startApp(env, 'app-l2', { ...db, CACHE_MODE: 'global', REDIS_URL: redis.url }),
    startApp(env, 'app-miss', { ...db, CACHE_MODE: 'none' }),
  ]);
  const nginx = await startProxy(env, l1);
  const floor = await startFloor(env, profile);
  return {
    floor,
    http,
    express,
    l1,
    nginx,
    l2,
    miss,
    redisPid: redis.pid,
    postgresPid: handle.pid,
    users,
  };
}

function bareTarget(
  id: string,
  label: string,
  server: { url: string; pid: number },
): CeilingTarget {
  return { id, label, url: server.url, keyCount: HOT_KEYS, pids: [server.pid] };
}

/**
 * Starts the seven targets: two bare ceilings, the app on L1 (direct and via nginx), nginx's floor
 * (the same nginx answering the body itself), L2, misses.
 */
export async function startCeilingTargets(env: BenchEnv): Promise<CeilingTarget[]> {
  const s = await startServers(env);
  const l1 = appTarget('app-l1', 'app, L1 hits (local)', s.l1, HOT_KEYS, 'HIT-L1');
  const l2Keys = Math.min(L2_KEYS, s.users);
  const l2 = appTarget('app-l2', 'app, L2 hits (global)', s.l2, l2Keys, 'HIT-L2');
  const miss = appTarget('app-miss', 'app, misses (none → Postgres)', s.miss, s.users, 'BYPASS');
  return [
    bareTarget('bare-http', 'bare node:http (fixed body)', s.http),
    bareTarget('bare-express', 'bare Express 5 (fixed body)', s.express),
    l1,
    {
      ...l1,
      id: 'nginx-l1',
      label: 'nginx → app, L1 hits',
      url: s.nginx.url,
      pids: [s.nginx.pid, s.l1.pid],
      nginxPids: [s.nginx.pid],
    },
    {
      id: 'nginx-floor',
      label: 'nginx alone, return 200 (same body)',
      url: s.floor.url,
      keyCount: HOT_KEYS,
      pids: [s.floor.pid],
      nginxPids: [s.floor.pid],
    },
    // Server-side CPU includes the backing store: Redis for L2 hits, Postgres (its backends) for misses.
    { ...l2, pids: [s.l2.pid, s.redisPid] },
    { ...miss, pids: [s.miss.pid, s.postgresPid] },
  ];
}

/** Reads every key of an app target once (16 at a time), so the measured run starts warm. */
export async function fillTarget(target: CeilingTarget): Promise<void> {
  if (target.check === undefined || target.check.expect === 'BYPASS') return;
  let next = 1;
  const worker = async () => {
    for (let id = next++; id <= target.keyCount; id = next++) {
      const response = await fetch(`${target.url}/profiles/${id}`);
      await response.arrayBuffer();
      if (response.status !== 200)
        throw new Error(`${target.label}: /profiles/${id} → ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}
