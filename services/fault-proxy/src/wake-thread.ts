import { Worker } from 'node:worker_threads';

/** Wakes the event loop at a precise time, without a busy wait. */
export interface WakeThread {
  /** Posts one wake-up at `at` (performance.now() ms); a later call replaces it; NaN cancels. */
  wakeAt(at: number): void;
  close(): Promise<void>;
}

// Runs in the worker: sleeps on a futex (Atomics.wait, microsecond timeouts) until the target time,
// then posts to the main thread, whose epoll wait returns at once. A new target interrupts the sleep.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const seq = new Int32Array(workerData, 0, 1);
const target = new Float64Array(workerData, 8, 1);
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
let seen = Atomics.load(seq, 0);
for (;;) {
  const at = target[0];
  if (Number.isNaN(at)) {
    Atomics.wait(seq, 0, seen);
  } else {
    const wait = at - nowMs();
    if (wait <= 0 || Atomics.wait(seq, 0, seen, wait) === 'timed-out') {
      if (target[0] === at) {
        parentPort.postMessage(at);
        Atomics.wait(seq, 0, seen);
      }
    }
  }
  seen = Atomics.load(seq, 0);
  if (seen < 0) break;
}
`;

/** Starts the wake thread; `onWake` runs on the main thread at (or just after) each target. */
export function startWakeThread(onWake: () => void): WakeThread {
  const shared = new SharedArrayBuffer(16);
  const seq = new Int32Array(shared, 0, 1);
  const target = new Float64Array(shared, 8, 1);
  target[0] = Number.NaN;
  // performance.now() is per thread; the worker reads the monotonic hrtime clock instead.
  const offset = Number(process.hrtime.bigint()) / 1e6 - performance.now();
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: shared });
  worker.unref();
  worker.on('message', onWake);
  let current = Number.NaN;
  const publish = (value: number): void => {
    target[0] = value;
    Atomics.add(seq, 0, 1);
    Atomics.notify(seq, 0);
  };
  return {
    wakeAt(at) {
      if (at === current || (Number.isNaN(at) && Number.isNaN(current))) return;
      current = at;
      publish(Number.isNaN(at) ? Number.NaN : at + offset);
    },
    async close() {
      Atomics.store(seq, 0, -2);
      Atomics.notify(seq, 0);
      await worker.terminate();
    },
  };
}
