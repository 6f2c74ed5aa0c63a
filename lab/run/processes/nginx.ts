import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nginxBin } from './binaries.ts';
import { type ManagedProcess, spawnManaged, waitUntil } from './managed-process.ts';
import { canConnect } from './net-checks.ts';
import { containNginxConfig, nginxGlobalDirectives } from './nginx-prefix-paths.ts';
import { runCommand } from './run-command.ts';

/** Options of startNginx. */
export interface StartNginxOptions {
  runDir: string;
  /** Full nginx.conf text; relative paths resolve against the prefix `<runDir>/<name>`. */
  config: string;
  /** The port the config listens on (used for readiness and url). */
  port: number;
  /** Prefix sub-directory and log name. Default 'nginx'. */
  name?: string;
  startTimeoutMs?: number;
}

/** A running nginx master (plus workers) in its own prefix. */
export interface NginxHandle {
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  pid: number;
  prefix: string;
  logPath: string;
  /**
   * Validates the new config (`nginx -t`), then SIGHUP; resolves once new workers run and the old
   * ones stopped accepting. With `drain`, also once every old worker has exited (its requests done).
   */
  reload(config: string, options?: { drain?: boolean }): Promise<void>;
  /** SIGTERM (fast shutdown), SIGKILL after 5 s. */
  stop(): Promise<void>;
  kill(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Longest wait for the old workers of a reload to finish their requests and exit. */
const DRAIN_TIMEOUT_MS = 20_000;

function nginxArgs(prefix: string, config: string): string[] {
  // -e stderr: the startup error log goes to our log file instead of the compiled-in /var/log path.
  const args = ['-p', `${prefix}/`, '-c', 'nginx.conf', '-e', 'stderr'];
  const globals = nginxGlobalDirectives(config);
  return globals ? [...args, '-g', globals] : args;
}

async function writeConfig(prefix: string, config: string): Promise<string> {
  const text = containNginxConfig(config);
  await writeFile(join(prefix, 'nginx.conf'), text);
  return text;
}

/** Starts `nginx -p <runDir>/nginx -c nginx.conf -g 'daemon off;'` and waits until `port` accepts. */
export async function startNginx(opts: StartNginxOptions): Promise<NginxHandle> {
  const name = opts.name ?? 'nginx';
  const prefix = join(opts.runDir, name);
  await mkdir(join(prefix, 'logs'), { recursive: true });
  await mkdir(join(prefix, 'temp'), { recursive: true });
  const text = await writeConfig(prefix, opts.config);
  const args = nginxArgs(prefix, text);
  const proc = await spawnManaged({
    name,
    command: nginxBin(),
    args,
    runDir: opts.runDir,
    stopTimeoutMs: 5_000,
  });
  try {
    await waitUntil(`nginx on port ${opts.port}`, () => canConnect(opts.port), {
      timeoutMs: opts.startTimeoutMs ?? 10_000,
      proc,
    });
  } catch (error) {
    await proc.kill();
    throw error;
  }
  return nginxHandle(opts.port, prefix, proc);
}

function nginxHandle(port: number, prefix: string, proc: ManagedProcess): NginxHandle {
  const stop = async (): Promise<void> => void (await proc.stop());
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    pid: proc.pid,
    prefix,
    logPath: proc.logPath,
    reload: (config, options) => reloadNginx(prefix, proc, config, options?.drain ?? false),
    stop,
    kill: async () => void (await proc.kill()),
    [Symbol.asyncDispose]: stop,
  };
}

/** The worker pids of nginx master `pid` (a container's too, by its host pid), before a reload. */
export async function nginxWorkerPids(pid: number): Promise<Set<number>> {
  return new Set((await workers(pid)).keys());
}

/**
 * After SIGHUP to master `pid`: resolves once new workers run and the `before` ones stopped
 * accepting; with `drain`, once every one of them has exited (bounded). `proc`: fail if it exits.
 */
export async function awaitNginxReload(
  pid: number,
  before: ReadonlySet<number>,
  drain: boolean,
  proc?: ManagedProcess,
): Promise<void> {
  const bound = proc ? { proc } : {};
  await waitUntil('nginx reload', () => reloaded(pid, before), { timeoutMs: 10_000, ...bound });
  if (!drain) return;
  // An old worker exits once its last request is answered: proxy_read_timeout (10 s) plus the retry
  // budget bound that, and this wait with it.
  await waitUntil('old nginx workers to exit', () => drained(pid, before), {
    timeoutMs: DRAIN_TIMEOUT_MS,
    ...bound,
  });
}

/** Direct children (workers) of `pid` as pid → command line, via ps. */
async function workers(pid: number): Promise<Map<number, string>> {
  try {
    const { stdout } = await runCommand('ps', ['-o', 'pid=,args=', '--ppid', String(pid)]);
    const rows = stdout.split('\n').map((line) => /^\s*(\d+)\s+(.*)$/.exec(line));
    return new Map(rows.flatMap((m) => (m?.[1] ? [[Number(m[1]), m[2] ?? '']] : [])));
  } catch {
    return new Map(); // ps exits 1 when there are no children
  }
}

/** New workers run and every old worker has stopped accepting (exited or "shutting down"). */
async function reloaded(pid: number, before: ReadonlySet<number>): Promise<boolean> {
  const now = [...(await workers(pid))];
  const fresh = now.some(([p]) => !before.has(p));
  return fresh && now.every(([p, args]) => !before.has(p) || args.includes('shutting down'));
}

/** Every worker of the previous generation has exited. */
async function drained(pid: number, before: ReadonlySet<number>): Promise<boolean> {
  const now = await workers(pid);
  return [...before].every((p) => !now.has(p));
}

async function reloadNginx(
  prefix: string,
  proc: ManagedProcess,
  config: string,
  drain: boolean,
): Promise<void> {
  const text = await writeConfig(prefix, config);
  await runCommand(nginxBin(), [...nginxArgs(prefix, text), '-t', '-q']);
  const before = await nginxWorkerPids(proc.pid);
  proc.signal('SIGHUP', false);
  await awaitNginxReload(proc.pid, before, drain, proc);
}
