import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { NativeServiceError } from './process-errors.ts';
import { readLogTail, registerProcess, unregisterProcess } from './process-registry.ts';

export { killAllManaged, liveProcesses } from './process-registry.ts';

/** How a managed process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Options of spawnManaged. */
export interface SpawnManagedOptions {
  /** Short name; the log is `<runDir>/<name>.log`. */
  name: string;
  command: string;
  args: readonly string[];
  runDir: string;
  /** Merged over process.env (undefined removes a variable). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Run as this user/group (e.g. postgres when we are root). */
  uid?: number;
  gid?: number;
  /** Graceful stop signal (Postgres wants SIGINT = fast shutdown). Default SIGTERM. */
  stopSignal?: NodeJS.Signals;
  /** Grace period before SIGKILL. Default 10 s. */
  stopTimeoutMs?: number;
}

/** A child process in its own process group, logging to a file, killed on process exit if still running. */
export class ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  /** Resolves when the process has exited (and been reaped). Does not keep the event loop alive. */
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;
  /** Signal of a graceful stop (SIGINT for Postgres, SIGTERM otherwise). */
  readonly stopSignal: NodeJS.Signals;
  private readonly stopTimeoutMs: number;

  constructor(opts: SpawnManagedOptions, pid: number, logPath: string, exited: Promise<ExitInfo>) {
    this.name = opts.name;
    this.pid = pid;
    this.logPath = logPath;
    this.stopSignal = opts.stopSignal ?? 'SIGTERM';
    this.stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
    this.exited = exited.then((info) => {
      this.exitInfo = info;
      return info;
    });
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** The last `lines` lines of the process log. */
  logTail(lines = 30): string {
    return readLogTail(this.logPath, lines);
  }

  /** Sends `signal`, waits up to `timeoutMs`, then SIGKILLs the whole process group. */
  async stop(signal = this.stopSignal, timeoutMs = this.stopTimeoutMs): Promise<ExitInfo> {
    if (this.running) this.signal(signal, false);
    const info = await this.waitExit(timeoutMs);
    if (info) {
      this.signal('SIGKILL', true); // stragglers of the group, if any
      return info;
    }
    return this.kill();
  }

  /** Waits up to `timeoutMs` for the exit; undefined if the process still runs. */
  async waitExit(timeoutMs: number): Promise<ExitInfo | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILLs the whole process group and waits (at most 10 s) for the exit. */
  async kill(): Promise<ExitInfo> {
    this.signal('SIGKILL', true);
    // waitExit's timer keeps the event loop alive: the unref'd child alone would not.
    const info = await this.waitExit(10_000);
    if (!info) {
      throw new NativeServiceError(
        'STOP_FAILED',
        `${this.name} (pid ${this.pid}) survived SIGKILL`,
      );
    }
    // The leader's exit is not the group's: a forked child (a postgres backend) can still answer for a moment.
    await this.waitGroupGone(GROUP_GONE_MS);
    return info;
  }

  /** Waits up to `timeoutMs` until no process of the group is left (zombies awaiting a reaper count as left). */
  private async waitGroupGone(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && groupExists(this.pid)) await delay(10);
  }

  /** Signals the leader (or the group); ignores processes that are already gone. */
  signal(signal: NodeJS.Signals, group: boolean): void {
    try {
      process.kill(group ? -this.pid : this.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

/** How long kill() waits for the rest of the group after the leader has gone. */
const GROUP_GONE_MS = 2_000;

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms));
}

function spawnChild(opts: SpawnManagedOptions, fd: number) {
  const child = spawn(opts.command, [...opts.args], {
    cwd: opts.cwd ?? opts.runDir,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', fd, fd],
    detached: true, // own process group: group kill reaches forked children (postgres backends, nginx workers)
    uid: opts.uid,
    gid: opts.gid,
  });
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.on('error', (cause) => reject(startError(opts, cause)));
  });
  return { child, exited, spawned };
}

/** Spawns a process whose stdout/stderr are appended to `<runDir>/<name>.log`; rejects if it cannot start. */
export async function spawnManaged(opts: SpawnManagedOptions): Promise<ManagedProcess> {
  const logPath = join(opts.runDir, `${opts.name}.log`);
  const fd = openSync(logPath, 'a');
  try {
    const { child, exited, spawned } = spawnChild(opts, fd);
    await spawned;
    const proc = new ManagedProcess(opts, child.pid as number, logPath, exited);
    // Unref'd: a script that forgets stop() still ends, and the exit hook then kills the child; the lab
    // driver can also remove that hook and exit, leaving a topology running (lab/run/driver/detach.ts).
    child.unref();
    registerProcess(proc);
    void proc.exited.then(() => unregisterProcess(proc));
    return proc;
  } finally {
    closeSync(fd); // the child has its own copy
  }
}

function startError(opts: SpawnManagedOptions, cause: unknown): NativeServiceError {
  return new NativeServiceError('START_FAILED', `cannot spawn ${opts.name} (${opts.command})`, {
    cause,
    details: { name: opts.name, command: opts.command, args: opts.args },
  });
}

/** Options of waitUntil. */
export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Fail fast (with its log tail) if this process dies while we wait. */
  proc?: ManagedProcess;
}

/** Polls `check` until it returns true; throws NOT_READY at the deadline or START_FAILED if `proc` died. */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  { timeoutMs, intervalMs = 25, proc }: WaitOptions,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (let attempt = 0; ; attempt++) {
    if (proc && !proc.running) throw diedError(what, proc);
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw notReadyError(what, timeoutMs, attempt, lastError, proc);
    const pause = delay(Math.min(intervalMs, left));
    await (proc ? Promise.race([pause, proc.exited]) : pause);
  }
}

function diedError(what: string, proc: ManagedProcess): NativeServiceError {
  return new NativeServiceError(
    'START_FAILED',
    `${proc.name} exited while waiting for ${what}; last log lines (${proc.logPath}):\n${proc.logTail()}`,
    { details: { name: proc.name, logPath: proc.logPath } },
  );
}

function notReadyError(
  what: string,
  timeoutMs: number,
  attempts: number,
  cause: unknown,
  proc: ManagedProcess | undefined,
): NativeServiceError {
  const tail = proc ? `; last log lines (${proc.logPath}):\n${proc.logTail()}` : '';
  return new NativeServiceError(
    'NOT_READY',
    `${what} not ready after ${timeoutMs} ms (${attempts + 1} checks)${tail}`,
    { cause, details: { what, timeoutMs } },
  );
}
