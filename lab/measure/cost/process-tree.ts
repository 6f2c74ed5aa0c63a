import { readdir, readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

/** The fields of /proc/<pid>/stat a cost reading needs. */
export interface ProcTimes {
  ppid: number;
  /** utime + stime + cutime + cstime, in ms: its own CPU and that of every child it reaped. */
  cpuMs: number;
}

/** Parses one /proc/<pid>/stat line (the command name may hold spaces and parentheses). */
export function parseProcTimes(text: string): ProcTimes {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After the name: state, ppid, …; utime, stime, cutime, cstime are fields 11..14 from there.
  const ppid = Number(fields[1]);
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  if (!Number.isFinite(ppid) || !Number.isFinite(ticks)) throw new Error(`bad /proc stat: ${text}`);
  return { ppid, cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
}

/** Parses the Pss line (kB) of /proc/<pid>/smaps_rollup into bytes; undefined without one. */
export function parsePssBytes(text: string): number | undefined {
  const match = /^Pss:\s+(\d+) kB$/m.exec(text);
  return match ? Number(match[1]) * 1024 : undefined;
}

async function timesOf(pid: number): Promise<ProcTimes | undefined> {
  try {
    return parseProcTimes(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // gone between readdir and read: its CPU is in its parent's cutime
  }
}

/** Every process on the machine: pid → times, read once. */
export async function procTable(): Promise<Map<number, ProcTimes>> {
  const pids = (await readdir('/proc')).filter((n) => /^\d+$/.test(n)).map(Number);
  const entries = await Promise.all(pids.map(async (pid) => [pid, await timesOf(pid)] as const));
  return new Map(entries.filter((e): e is [number, ProcTimes] => e[1] !== undefined));
}

/** `root` and every live descendant of it in `table`. */
export function treeOf(table: Map<number, ProcTimes>, root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, t] of table) {
    const list = children.get(t.ppid);
    if (list) list.push(pid);
    else children.set(t.ppid, [pid]);
  }
  const tree: number[] = [];
  const stack = table.has(root) ? [root] : [];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/**
 * CPU (ms) of a process tree: each live member's own and reaped children's time. A member that exits
 * moves its time into its parent's cutime/cstime, so a window's difference still counts it once.
 */
export function treeCpuMs(table: Map<number, ProcTimes>, tree: readonly number[]): number {
  return tree.reduce((sum, pid) => sum + (table.get(pid)?.cpuMs ?? 0), 0);
}

/**
 * Memory of a process tree in bytes: the sum of proportional set sizes (shared pages divided among
 * the processes sharing them, so Postgres's shared buffers count once), or RSS where PSS is unreadable.
 */
export async function treeMemoryBytes(tree: readonly number[]): Promise<number> {
  const sizes = await Promise.all(
    tree.map(async (pid) => {
      try {
        const pss = parsePssBytes(await readFile(`/proc/${pid}/smaps_rollup`, 'utf8'));
        if (pss !== undefined) return pss;
      } catch {
        // no smaps_rollup (old kernel, or not ours to read): fall back to RSS
      }
      try {
        const statm = (await readFile(`/proc/${pid}/statm`, 'utf8')).split(' ');
        return Number(statm[1]) * PAGE_BYTES;
      } catch {
        return 0;
      }
    }),
  );
  return sizes.reduce((a, b) => a + b, 0);
}
