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
}

interface Entry {
  dueAt: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * libuv timers have millisecond resolution, so a 0.1 ms delay cannot be a setTimeout. Waits longer
 * than SPIN_WINDOW_MS sleep on one setTimeout until SPIN_WINDOW_MS before the due time; the rest is
 * polled with setImmediate, which still runs every I/O callback in between.
 */
const SPIN_WINDOW_MS = 1.5;

function earlier(a: Entry, b: Entry): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);
}

/** A binary min-heap of entries by due time, then insertion order. */
class EntryHeap {
  private readonly items: Entry[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Entry | undefined {
    return this.items[0];
  }
  push(entry: Entry): void {
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(entry, items[parent] as Entry)) break;
      items[i] = items[parent] as Entry;
      i = parent;
    }
    items[i] = entry;
  }
  pop(): Entry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child =
        right < items.length && earlier(items[right] as Entry, items[left] as Entry) ? right : left;
      if (!earlier(items[child] as Entry, last)) break;
      items[i] = items[child] as Entry;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/** A scheduler with one heap, one setTimeout and at most one setImmediate poll for the whole process. */
export function createScheduler(now: () => number = () => performance.now()): Scheduler {
  const heap = new EntryHeap();
  let seq = 0;
  let live = 0;
  let sleeping: NodeJS.Timeout | undefined;
  let polling = false;

  function runDue(): void {
    const time = now();
    for (let top = heap.peek(); top !== undefined && top.dueAt <= time; top = heap.peek()) {
      heap.pop();
      if (top.cancelled) continue;
      top.cancelled = true;
      live--;
      top.fn();
    }
  }

  function arm(): void {
    while (heap.peek()?.cancelled) heap.pop();
    const top = heap.peek();
    if (top === undefined || polling) return;
    const wait = top.dueAt - now();
    if (wait > SPIN_WINDOW_MS) {
      if (sleeping) clearTimeout(sleeping);
      sleeping = setTimeout(wake, Math.floor(wait - SPIN_WINDOW_MS));
      return;
    }
    polling = true;
    setImmediate(poll);
  }

  function wake(): void {
    sleeping = undefined;
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
      const entry: Entry = { dueAt, seq: seq++, fn, cancelled: false };
      heap.push(entry);
      live++;
      if (heap.peek() === entry && !polling) {
        if (sleeping) clearTimeout(sleeping);
        sleeping = undefined;
        arm();
      }
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
  };
}
