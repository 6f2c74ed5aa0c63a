import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { ResolvedOptions, RunProgress } from './options.ts';
import { runShare, type ShareResult } from './share-run.ts';
import type { FromThread } from './thread-messages.ts';

const BOOT = new URL('./thread-boot.mjs', import.meta.url);
const ENTRY = new URL('./load-thread.ts', import.meta.url).href;
/** Longest wait for every thread to load its modules. */
const READY_TIMEOUT_MS = 30_000;
/** Gap between the go signal and the shared start, so every thread sees the same first due time. */
const START_DELAY_MS = 50;
/** Beyond the schedule, the request timeout and the drain grace: a thread still running is killed. */
const OVERRUN_MS = 10_000;

/** Epoch milliseconds on the monotonic clock every thread shares. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/** Options of one share: the in-flight cap and the connections are split between the shares. */
function shareOptions(
  o: ResolvedOptions,
  count: number,
): Omit<ResolvedOptions, 'onProgress' | 'onStart' | 'signal'> {
  const { onProgress: _, onStart: __, signal: ___, ...rest } = o;
  return {
    ...rest,
    maxInFlight: Math.max(1, Math.ceil(o.maxInFlight / count)),
    connections: Math.max(1, Math.ceil(o.connections / count)),
  };
}

interface Thread {
  worker: Worker;
  ready: Promise<void>;
  done: Promise<ShareResult>;
}

function startThread(o: ResolvedOptions, index: number, onProgress: (p: RunProgress) => void) {
  const worker = new Worker(BOOT, {
    workerData: {
      entry: ENTRY,
      options: shareOptions(o, o.workers),
      share: { index, count: o.workers },
    },
  });
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const done = new Promise<ShareResult>((resolve, reject) => {
    worker.on('message', (m: FromThread) => {
      if (m.kind === 'ready') markReady();
      else if (m.kind === 'progress') onProgress(m.progress);
      else if (m.kind === 'done') resolve(m.result);
      else reject(new Error(`load thread ${index} failed: ${m.message}`));
    });
    worker.once('error', (error) =>
      reject(new Error(`load thread ${index} crashed`, { cause: error })),
    );
    worker.once('exit', (code) => reject(new Error(`load thread ${index} exited (${code}) early`)));
  });
  // A thread that fails before it is ready must not leave `ready` waiting forever.
  done.catch(() => markReady());
  return { worker, ready, done } satisfies Thread;
}

function bounded<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Sums the latest progress of every share, with the phase read off the shared clock. */
function progressReporter(o: ResolvedOptions, startAt: () => number | undefined) {
  const latest: (RunProgress | undefined)[] = [];
  const report = (): void => {
    const t0 = startAt();
    if (t0 === undefined || !o.onProgress) return;
    const elapsedSec = Math.max(0, (epochNow() - t0) / 1000);
    const phase =
      elapsedSec < o.warmupSec
        ? 'warmup'
        : elapsedSec < o.warmupSec + o.durationSec
          ? 'measure'
          : 'drain';
    const sum = { sent: 0, completed: 0, dropped: 0, failed: 0, inFlight: 0 };
    for (const p of latest) {
      if (!p) continue;
      for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] += p[key];
    }
    o.onProgress({ phase, elapsedSec, ...sum });
  };
  return { latest, report };
}

/**
 * Runs the schedule as `o.workers` shares, each in its own worker thread with its own event loop
 * and connections; every share keeps the common schedule (request i due at start + i/rate) for the
 * keys it owns. `onStart` gets the shared start (epoch ms) once it is fixed.
 */
export async function runSpread(
  o: ResolvedOptions,
  onStart: (startAtEpochMs: number) => void,
): Promise<ShareResult[]> {
  if (o.workers === 1) {
    const startAtEpochMs = epochNow();
    onStart(startAtEpochMs);
    return [await runShare(o, { index: 0, count: 1, startAtEpochMs })];
  }
  let startAt: number | undefined;
  const progress = progressReporter(o, () => startAt);
  const threads = Array.from({ length: o.workers }, (_, i) =>
    startThread(o, i, (p) => {
      progress.latest[i] = p;
    }),
  );
  const timer = setInterval(progress.report, o.progressIntervalMs);
  timer.unref();
  try {
    await bounded(
      Promise.all(threads.map((t) => t.ready)),
      READY_TIMEOUT_MS,
      'starting load threads',
    );
    startAt = epochNow() + START_DELAY_MS;
    onStart(startAt);
    for (const t of threads) t.worker.postMessage({ startAtEpochMs: startAt });
    const runMs = (o.warmupSec + o.durationSec) * 1000 + o.timeoutMs * 2 + OVERRUN_MS;
    return await bounded(Promise.all(threads.map((t) => t.done)), runMs, 'the spread load run');
  } finally {
    clearInterval(timer);
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}
