import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadReport, LoadSpec } from './load-generator.ts';

/** wrk threads: one per core of this 2-core machine (each runs its own event loop). */
export const WRK_THREADS = 2;
/** Start-up and shutdown allowance on top of the run itself. */
const SLACK_MS = 15_000;
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ). */
const TICKS_PER_SECOND = 100;

// Every request draws its profile id; done() prints one JSON line (latencies in µs).
const SCRIPT = `
local keys = 1
init = function(args)
  keys = tonumber(args[1])
end
request = function()
  return wrk.format("GET", "/profiles/" .. math.random(1, keys))
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nWRK {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"meanUs":%.1f,"errors":%d,"non2xx":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.mean, e.connect + e.read + e.write + e.timeout, e.status))
end
`;

// Paced runs only (wrk decides whether a script has delay() before any thread's init, so a closed-loop
// run must not define it): each thread sends at args[2] req/s, holding every request until its slot on
// the thread's schedule (LuaJIT's ffi reads the monotonic clock). A thread more than 50 ms behind
// restarts its schedule instead of bursting, so the achieved rate says whether the target kept up.
const PACING = `
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } cachelab_timespec;
int clock_gettime(int clk_id, cachelab_timespec *tp);
]]
local now_ts = ffi.new("cachelab_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, now_ts)
  return tonumber(now_ts.tv_sec) * 1000 + tonumber(now_ts.tv_nsec) / 1e6
end
local interval = 1
local next_at = nil
local keyed_init = init
init = function(args)
  keyed_init(args)
  interval = 1000 / tonumber(args[2])
end
delay = function()
  local now = now_ms()
  if next_at == nil or next_at < now - 50 then next_at = now end
  local slot = next_at
  next_at = next_at + interval
  return math.max(0, math.floor(slot - now))
end
`;

/** The Lua script of a run: closed loop, or paced when the spec has a rate. */
export function wrkScript(spec: Pick<LoadSpec, 'ratePerSec'>): string {
  return spec.ratePerSec === undefined ? SCRIPT : `${SCRIPT}${PACING}`;
}

// The shell waits for wrk, so wrk's CPU lands in the shell's cutime/cstime, read before it exits.
const WRAPPER = 'wrk "$@"; code=$?; read -r line < /proc/$$/stat; echo "STAT $line"; exit $code';

interface WrkSummary {
  requests: number;
  durationUs: number;
  p50Us: number;
  p99Us: number;
  meanUs: number;
  errors: number;
  non2xx: number;
}

/** The children's CPU time (cutime + cstime, µs) from a /proc/<pid>/stat line. */
export function childrenCpuUs(statLine: string): number {
  const fields = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[13]) + Number(fields[14]);
  if (!Number.isFinite(ticks)) throw new Error(`bad /proc stat line: ${statLine}`);
  return (ticks * 1_000_000) / TICKS_PER_SECOND;
}

/** Reads wrk's JSON summary and the wrapper's stat line out of its output. */
export function parseWrkOutput(stdout: string): LoadReport {
  const json = stdout.split('\n').find((l) => l.startsWith('WRK {'));
  const stat = stdout.split('\n').find((l) => l.startsWith('STAT '));
  if (!json || !stat) throw new Error(`wrk printed no summary:\n${stdout.slice(-2000)}`);
  const s = JSON.parse(json.slice(4)) as WrkSummary;
  const durationSec = s.durationUs / 1e6;
  return {
    requests: s.requests,
    durationSec,
    rps: durationSec > 0 ? s.requests / durationSec : 0,
    p50Ms: s.p50Us / 1000,
    p99Ms: s.p99Us / 1000,
    meanMs: s.meanUs / 1000,
    errors: s.errors,
    non2xx: s.non2xx,
    generatorCpuUs: childrenCpuUs(stat.slice(5)),
  };
}

function collect(stream: NodeJS.ReadableStream): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString();
}

function runWrapped(args: string[], timeoutMs: number): Promise<string> {
  const child = spawn('sh', ['-c', WRAPPER, 'sh', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`wrk did not start: ${error.message}`, { cause: error }));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout());
      else reject(new Error(`wrk failed (${code ?? signal}): ${stderr().trim()}`));
    });
  });
}

/**
 * Runs wrk (C, `WRK_THREADS` threads; closed loop, or paced at spec.ratePerSec) against spec.url with
 * a random profile id per request, and returns its figures with wrk's own CPU time. Bounded: killed
 * if it overruns.
 */
export async function runWrk(spec: LoadSpec): Promise<LoadReport> {
  const dir = await mkdtemp(join(tmpdir(), 'cachelab-wrk-'));
  try {
    const script = join(dir, 'profiles.lua');
    await writeFile(script, wrkScript(spec));
    const args = ['-t', String(WRK_THREADS), '-c', String(spec.connections)].concat([
      '-d',
      `${spec.durationSec}s`,
      '--timeout',
      '5s',
      '-s',
      script,
      spec.url,
      '--',
      String(spec.keyCount),
    ]);
    if (spec.ratePerSec !== undefined) args.push(String(spec.ratePerSec / WRK_THREADS));
    return parseWrkOutput(await runWrapped(args, spec.durationSec * 1000 + SLACK_MS));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
