import { EntryHeap, type HeapEntry } from './entry-heap.ts';
import { startWakeThread, type WakeThread } from './wake-thread.ts';

/** A cancellable callback due at a point in time (performance.now() ms). */
export interface Timer {
  cancel(): void;
}

/** Runs callbacks at sub-millisecond precision. */
export interface Scheduler {
  /** Runs `fn` once `performance.now()` reaches `dueAt`. Callbacks due at the same time run in order. */
  at(dueAt: number, fn: () => void): Timer;
  /** Callbacks still waiting. */
  readonly pending: number;
  /** Stops the wake thread (if any). */
  close(): Promise<void>;
}

/**
 * libuv timers have millisecond resolution, so a 0.1 ms delay cannot be a setTimeout. A wake thread
 * sleeping on a futex wakes the loop a little before the due time (the lead); the rest is polled with
 * setImmediate, which still runs every I/O callback in between. Without the thread (tests with fake
 * timers), setTimeout sleeps until the lead.
 */
const MIN_LEAD_MS = 0.05;
// A busy machine makes wake-ups late, but polling longer does not help there: the poller is
// preempted too, and burns a core meanwhile.
const MAX_LEAD_MS = 0.3;

/**
 * How late wake-ups arrive (thread, message and scheduling delays, which grow when the machine is
 * busy), as a moving average; the lead is twice that plus a margin, so waits rarely overshoot.
 */
function wakeLateness() {
  let average = 0.05;
  return {
    observe(lateMs: number): void {
      if (Number.isFinite(lateMs) && lateMs >= 0) average += 0.05 * (Math.min(lateMs, 5) - average);
    },
    lead(): number {
      return Math.min(MAX_LEAD_MS, Math.max(MIN_LEAD_MS, 2 * average + 0.03));
    },
  };
}

/** Options of createScheduler. */
export interface SchedulerOptions {
  /** Use a wake thread for sub-millisecond sleeps (default true); false uses setTimeout alone. */
  wakeThread?: boolean;
}

/** A scheduler with one heap and one wake source for the whole process. */
export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  const heap = new EntryHeap();
  let seq = 0;
  let live = 0;
  let sleeping: NodeJS.Timeout | undefined;
  let polling = false;
  let thread: WakeThread | undefined;
  let sleepingUntil = 0;
  const lateness = wakeLateness();
  const useThread = options.wakeThread ?? true;

  function runDue(): void {
    const time = performance.now();
    for (let top = heap.peek(); top !== undefined && top.dueAt <= time; top = heap.peek()) {
      heap.pop();
      if (top.cancelled) continue;
      top.cancelled = true;
      live--;
      top.fn();
    }
  }

  function sleepUntil(at: number): void {
    if (useThread) {
      thread ??= startWakeThread(wake);
      thread.wakeAt(at);
      return;
    }
    if (sleeping) clearTimeout(sleeping);
    sleeping = setTimeout(wake, Math.max(0, Math.floor(at - performance.now())));
  }

  function arm(): void {
    while (heap.peek()?.cancelled) heap.pop();
    const top = heap.peek();
    if (top === undefined) {
      thread?.wakeAt(Number.NaN);
      return;
    }
    if (polling) return;
    const lead = lateness.lead();
    if (top.dueAt - performance.now() > lead) {
      sleepingUntil = top.dueAt - lead;
      sleepUntil(sleepingUntil);
      return;
    }
    polling = true;
    setImmediate(poll);
  }

  function wake(): void {
    sleeping = undefined;
    lateness.observe(performance.now() - sleepingUntil);
    runDue();
    arm();
  }

  function poll(): void {
    polling = false;
    runDue();
    arm();
  }

  return {
    at(dueAt, fn) {
      const entry: HeapEntry = { dueAt, seq: seq++, fn, cancelled: false };
      heap.push(entry);
      live++;
      if (heap.peek() === entry) arm();
      return {
        cancel() {
          if (entry.cancelled) return;
          entry.cancelled = true;
          live--;
        },
      };
    },
    get pending() {
      return live;
    },
    async close() {
      if (sleeping) clearTimeout(sleeping);
      await thread?.close();
      thread = undefined;
    },
  };
}
