import { join } from 'node:path';
import { REPO_ROOT } from '../../repo-root.ts';
import { type ManagedProcess, spawnManaged } from './managed-process.ts';
import { startOnFreePort } from './ports.ts';
import { waitHttpReady } from './wait-http-ready.ts';

/** Default entry point of the app server. */
export const APP_ENTRY = join(REPO_ROOT, 'services', 'app', 'src', 'main.ts');

// Only these are inherited: the app's config comes from `env` alone, not from whatever the caller's shell has.
const INHERITED_ENV = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'NODE_EXTRA_CA_CERTS'];

/** Options of startAppServer. */
export interface StartAppServerOptions {
  runDir: string;
  /** The app's environment (CACHE_MODE, DATABASE_URL …). PORT: a free port if absent; SERVER_ID: name. */
  env: Record<string, string>;
  /** Log name and default SERVER_ID. Default 'app'. */
  name?: string;
  /** TypeScript entry run with `node --import tsx`. Default services/app/src/main.ts. */
  entry?: string;
  /** Grace period of stop() before SIGKILL. Default 12 s (the app drains for up to 10 s). */
  stopTimeoutMs?: number;
  startTimeoutMs?: number;
}

/** A running app server process. */
export interface AppServerHandle {
  name: string;
  serverId: string;
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  pid: number;
  logPath: string;
  /** SIGTERM, waits for the exit; SIGKILL after the grace period. */
  stop(): Promise<void>;
  /** SIGKILL. */
  kill(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

function baseEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const key of Object.keys(process.env)) env[key] = undefined;
  for (const key of INHERITED_ENV) env[key] = process.env[key];
  return env;
}

async function spawnApp(opts: StartAppServerOptions, name: string, env: Record<string, string>) {
  const proc = await spawnManaged({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', opts.entry ?? APP_ENTRY],
    runDir: opts.runDir,
    cwd: REPO_ROOT,
    env: { ...baseEnv(), ...env },
    stopTimeoutMs: opts.stopTimeoutMs ?? 12_000,
  });
  const healthz = `http://127.0.0.1:${env.PORT}/healthz`;
  await waitHttpReady(proc, name, healthz, opts.startTimeoutMs ?? 30_000);
  return proc;
}

/** Spawns `node --import tsx <entry>` in the repo root and waits until GET /healthz returns 200. */
export async function startAppServer(opts: StartAppServerOptions): Promise<AppServerHandle> {
  const name = opts.name ?? 'app';
  const explicit = opts.env.PORT && opts.env.PORT !== '0' ? Number(opts.env.PORT) : undefined;
  return startOnFreePort(explicit, async (port) => {
    const env = { SERVER_ID: name, ...opts.env, PORT: String(port) };
    const proc = await spawnApp(opts, name, env);
    return appHandle(name, env.SERVER_ID, port, proc);
  });
}

function appHandle(name: string, serverId: string, port: number, proc: ManagedProcess) {
  const stop = async (): Promise<void> => void (await proc.stop());
  return {
    name,
    serverId,
    port,
    url: `http://127.0.0.1:${port}`,
    pid: proc.pid,
    logPath: proc.logPath,
    stop,
    kill: async () => void (await proc.kill()),
    [Symbol.asyncDispose]: stop,
  } satisfies AppServerHandle;
}
