import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';

/** What the registry needs from a tracked process. */
export interface TrackedProcess {
  readonly name: string;
  readonly pid: number;
  readonly stopSignal: NodeJS.Signals;
  signal(signal: NodeJS.Signals, group: boolean): void;
}

const live = new Set<TrackedProcess>();
const EXIT_GRACE_MS = 2_000;
let installed = false;
/** Callers that stop what they started in order on the first signal (see holdSignalKills). */
let holders = 0;
let signalsWhileHeld = 0;

/** Tracks a running process so that process exit / SIGINT / SIGTERM / SIGHUP kill it. */
export function registerProcess(proc: TrackedProcess): void {
  live.add(proc);
  installHandlers();
}

/** Stops tracking a process (it has exited). */
export function unregisterProcess(proc: TrackedProcess): void {
  live.delete(proc);
}

/** Names and pids of the processes still running. */
export function liveProcesses(): { name: string; pid: number }[] {
  return [...live].map(({ name, pid }) => ({ name, pid }));
}

/**
 * Synchronously stops every tracked process: its graceful stop signal to each leader, up to 2 s of grace, then SIGKILL to each
 * process group. Synchronous because it runs from the 'exit' event, where no further I/O callbacks happen.
 */
export function killAllManaged(): void {
  const procs = [...live];
  for (const proc of procs) safeSignal(proc, proc.stopSignal, false);
  const deadline = Date.now() + EXIT_GRACE_MS;
  while (Date.now() < deadline && procs.some((p) => isAlive(p.pid))) sleepSync(20);
  for (const proc of procs) safeSignal(proc, 'SIGKILL', true);
  live.clear();
}

function safeSignal(proc: TrackedProcess, signal: NodeJS.Signals, group: boolean): void {
  try {
    proc.signal(signal, group);
  } catch {
    // best effort during shutdown: EPERM/ESRCH must not stop us from killing the others
  }
}

/**
 * Until the returned release is called, the first SIGINT/SIGTERM/SIGHUP kills nothing: the caller
 * (a scenario rolling back, then taking its lab down) stops the processes in order. A second signal,
 * or the process exiting, still kills every tracked process.
 */
export function holdSignalKills(): () => void {
  if (holders++ === 0) signalsWhileHeld = 0;
  installHandlers();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders--;
  };
}

function installHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAllManaged);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      if (holders > 0 && ++signalsWhileHeld === 1) return;
      killAllManaged();
      // If we were the only listener, restore the default behaviour (terminate) by re-raising.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, handler);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, handler);
  }
}

/** True while `pid` exists and is not a zombie (an exited child not yet reaped counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    try {
      process.kill(pid, 0); // no /proc (not Linux): existence is all we can tell
      return true;
    } catch {
      return false;
    }
  }
}

/** Pids of live (non-zombie) processes in process group `pgid` (Linux /proc); [] elsewhere. */
export function processGroupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  return entries.map(Number).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return fields[0] !== 'Z' && Number(fields[2]) === pgid;
    } catch {
      return false; // exited while we scanned
    }
  });
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The last `lines` lines of a log file (reads at most its last 16 KiB); '' if it does not exist. */
export function readLogTail(path: string, lines = 30): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 16_384);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } finally {
    closeSync(fd);
  }
}
