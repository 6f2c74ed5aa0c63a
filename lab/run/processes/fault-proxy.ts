import { join } from 'node:path';
import { REPO_ROOT } from '../../repo-root.ts';
import { type ManagedProcess, spawnManaged } from './managed-process.ts';
import { startOnFreePort } from './ports.ts';
import { waitHttpReady } from './wait-http-ready.ts';

/** Entry point of the fault proxy (toxiproxy-compatible API). */
export const FAULT_PROXY_ENTRY = join(REPO_ROOT, 'services', 'fault-proxy', 'src', 'main.ts');

/** Options of startFaultProxyProcess. */
export interface StartFaultProxyOptions {
  runDir: string;
  /** API port; default a free one. */
  port?: number;
  /** Log name. Default 'fault-proxy'. */
  name?: string;
  startTimeoutMs?: number;
}

/** A running fault-proxy process on 127.0.0.1. */
export interface FaultProxyHandle {
  name: string;
  /** API port. */
  port: number;
  /** http://127.0.0.1:PORT, the toxiproxy API. */
  url: string;
  pid: number;
  logPath: string;
  /** SIGTERM, SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** SIGKILL. */
  kill(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

async function spawnFaultProxy(opts: StartFaultProxyOptions, name: string, port: number) {
  const proc = await spawnManaged({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', FAULT_PROXY_ENTRY, '--host', '127.0.0.1', '--port', String(port)],
    runDir: opts.runDir,
    cwd: REPO_ROOT,
    env: {
      FAULT_PROXY_HOST: undefined,
      FAULT_PROXY_PORT: undefined,
      FAULT_PROXY_CONFIG: undefined,
    },
    stopTimeoutMs: 5_000,
  });
  const version = `http://127.0.0.1:${port}/version`;
  await waitHttpReady(proc, name, version, opts.startTimeoutMs ?? 20_000);
  return proc;
}

/** Spawns `node --import tsx services/fault-proxy/src/main.ts` and waits until GET /version answers. */
export async function startFaultProxyProcess(
  opts: StartFaultProxyOptions,
): Promise<FaultProxyHandle> {
  const name = opts.name ?? 'fault-proxy';
  return startOnFreePort(opts.port, async (port) =>
    faultProxyHandle(name, port, await spawnFaultProxy(opts, name, port)),
  );
}

function faultProxyHandle(name: string, port: number, proc: ManagedProcess): FaultProxyHandle {
  const stop = async (): Promise<void> => void (await proc.stop());
  return {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    pid: proc.pid,
    logPath: proc.logPath,
    stop,
    kill: async () => void (await proc.kill()),
    [Symbol.asyncDispose]: stop,
  };
}
