import type { Scheduler, Timer } from '../scheduler.ts';
import type { Chunk, StageOutput } from './toxic.ts';

/** Chunks released to the output at given times, in order, with a deferred end. */
export interface DelayQueue {
  /**
   * Releases `chunk` at `dueAt` (never before an earlier-queued chunk), stamped with that time so a
   * later delaying toxic adds its delay on top. Returns the release time used.
   */
  enqueue(chunk: Chunk, dueAt: number): number;
  /** Ends the output after the last queued chunk is released. */
  end(): void;
  /** Releases everything now (and the end, if one is pending). */
  flush(): void;
  /** Drops everything. */
  dispose(): void;
  /** Release time of the last queued chunk (or -Infinity). */
  readonly lastDue: number;
}

/** A per-stage FIFO of delayed chunks on the shared scheduler. */
export function createDelayQueue(out: StageOutput, scheduler: Scheduler): DelayQueue {
  const queue: { chunk: Chunk; timer: Timer }[] = [];
  let lastDue = Number.NEGATIVE_INFINITY;
  let endPending = false;
  const release = (): void => {
    const head = queue.shift();
    if (head) out.push(head.chunk);
    if (queue.length === 0 && endPending) {
      endPending = false;
      out.end();
    }
  };
  return {
    enqueue(chunk, dueAt) {
      const due = Math.max(dueAt, lastDue);
      lastDue = due;
      const stamped = { data: chunk.data, arrivedAt: due };
      if (queue.length === 0 && due <= performance.now()) {
        out.push(stamped);
        return due;
      }
      queue.push({ chunk: stamped, timer: scheduler.at(due, release) });
      return due;
    },
    end() {
      if (queue.length === 0) out.end();
      else endPending = true;
    },
    flush() {
      for (const { timer, chunk } of queue.splice(0)) {
        timer.cancel();
        out.push(chunk);
      }
      if (endPending) {
        endPending = false;
        out.end();
      }
    },
    dispose() {
      for (const { timer } of queue.splice(0)) timer.cancel();
      endPending = false;
    },
    get lastDue() {
      return lastDue;
    },
  };
}
