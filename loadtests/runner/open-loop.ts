import { type EventLoopUtilization, performance } from 'node:perf_hooks';
import type { Operation } from '../workload.ts';
import { type ExchangeOutcome, errorMessage } from './exchange.ts';
import type { LoadClient } from './load-client.ts';
import type { ResolvedOptions, RunProgress } from './options.ts';
import { createPhasedStream } from './phased-stream.ts';
import { SecondSeries, type SeriesPart } from './second-series.ts';
import { StalenessTracker } from './staleness.ts';
import { RunStats } from './stats.ts';

/** Extra time after the last start for in-flight requests, beyond their own timeout. */
const DRAIN_GRACE_MS = 1000;

/** What an open-loop run leaves behind for the result. */
export interface OpenLoopOutcome {
  stats: RunStats;
  staleness: StalenessTracker;
  startedAt: Date;
  /** Seconds from the start of the measured window to the last measured start. */
  measuredSpanSec: number;
  /** Share of the measured window this event loop spent busy (0..1): near 1, it was the limit. */
  eventLoopUtilization: number;
  /** Per-second counts, when the options asked for them. */
  series?: SeriesPart;
}

/** Which keys a generator handles when several share one schedule: ids with id % count === index. */
export interface ScheduleShare {
  index: number;
  count: number;
  /** Start of the schedule as epoch ms (performance.timeOrigin + now), shared by every share. */
  startAtEpochMs?: number;
}

/**
 * An open-model load generator: request i is due at start + i/rate and is started as soon as the
 * event loop sees it due, however slowly earlier requests answer (no coordinated omission).
 */
export class OpenLoop {
  private readonly stats = new RunStats();
  private readonly staleness = new StalenessTracker();
  private readonly nextOperation: (index: number) => Operation;
  private readonly series: SecondSeries | undefined;
  private readonly intervalMs: number;
  private readonly total: number;
  private readonly warmupCount: number;
  private t0 = 0;
  private index = 0;
  private writeSeq = 0;
  private inFlight = 0;
  private lastMeasuredStart = 0;
  private pending: Operation | undefined;
  private eluAtWindow: EventLoopUtilization | undefined;
  private windowElu = 0;
  private abandoned = false;
  private totals = { sent: 0, completed: 0, dropped: 0, failed: 0 };
  private onIdle: (() => void) | undefined;

  constructor(
    private readonly o: ResolvedOptions,
    private readonly client: LoadClient,
    private readonly share: ScheduleShare = { index: 0, count: 1 },
  ) {
    this.nextOperation = createPhasedStream(o);
    this.series = o.series ? new SecondSeries() : undefined;
    this.intervalMs = 1000 / o.rate;
    this.warmupCount = Math.round(o.warmupSec * o.rate);
    this.total = this.warmupCount + Math.round(o.durationSec * o.rate);
  }

  /** Runs the schedule, waits (bounded) for the last responses, and returns what was measured. */
  async run(): Promise<OpenLoopOutcome> {
    const startedAt = new Date();
    this.t0 =
      this.share.startAtEpochMs === undefined
        ? performance.now()
        : this.share.startAtEpochMs - performance.timeOrigin;
    const progress = this.startProgress();
    try {
      await new Promise<void>((resolve) => this.tick(resolve));
      await this.drain();
    } finally {
      clearInterval(progress);
    }
    const windowStart = this.t0 + this.warmupCount * this.intervalMs;
    const span = Math.max(0, this.lastMeasuredStart - windowStart) + this.intervalMs;
    return {
      stats: this.stats,
      staleness: this.staleness,
      startedAt,
      measuredSpanSec: span / 1000,
      eventLoopUtilization: this.windowElu,
      ...(this.series ? { series: this.series.toPart() } : {}),
    };
  }

  /** Draws operations until the next one of this share is pending; false when the schedule ended. */
  private advance(): boolean {
    while (this.pending === undefined && this.index < this.total) {
      const operation = this.nextOperation(this.index);
      if (operation.id % this.share.count === this.share.index) this.pending = operation;
      else this.index++;
    }
    return this.pending !== undefined;
  }

  private tick(done: () => void): void {
    while (!this.o.signal?.aborted && this.advance()) {
      const due = this.t0 + this.index * this.intervalMs;
      const now = performance.now();
      if (due > now) {
        setTimeout(() => this.tick(done), due - now);
        return;
      }
      const operation = this.pending as Operation;
      this.pending = undefined;
      this.start(operation, this.index, due, now);
      this.index++;
    }
    if (this.eluAtWindow) {
      this.windowElu = performance.eventLoopUtilization(this.eluAtWindow).utilization;
    }
    done();
  }

  private start(operation: Operation, i: number, due: number, now: number): void {
    const measured = i >= this.warmupCount;
    if (measured) this.eluAtWindow ??= performance.eventLoopUtilization();
    const sent = this.inFlight < this.o.maxInFlight;
    this.series?.start((due - this.t0) / 1000, sent);
    if (measured) {
      this.stats.recordStart(operation.op, sent, (now - due) * 1000);
      this.lastMeasuredStart = now;
    }
    if (!sent) {
      this.totals.dropped++;
      return;
    }
    this.inFlight++;
    this.totals.sent++;
    const seq = operation.op === 'write' ? ++this.writeSeq : 0;
    this.client.exchange(operation, seq, (outcome) => {
      this.inFlight--;
      this.settle(operation, outcome, { due, startedAt: now, measured });
      if (this.inFlight === 0) this.onIdle?.();
    });
  }

  private settle(
    operation: Operation,
    outcome: ExchangeOutcome,
    t: { due: number; startedAt: number; measured: boolean },
  ): void {
    const now = performance.now();
    const latencyUs = (now - t.due) * 1000;
    const sec = (t.due - this.t0) / 1000;
    if (outcome.retried && t.measured) this.stats.recordRetry();
    if (outcome.kind === 'failure') {
      this.totals.failed++;
      this.series?.failure(sec, this.abandoned ? 'timeout' : outcome.errorClass, latencyUs);
      if (!t.measured) return;
      if (this.abandoned)
        this.stats.recordFailure('timeout', latencyUs, 'still in flight when the drain ended');
      else this.stats.recordFailure(outcome.errorClass, latencyUs, errorMessage(outcome.error));
      return;
    }
    this.totals.completed++;
    if (outcome.version !== undefined && outcome.status === 200) {
      if (operation.op === 'write') this.staleness.recordAck(operation.id, outcome.version, now);
      else {
        const window = this.staleness.checkRead(
          operation.id,
          outcome.version,
          t.startedAt,
          t.measured,
          outcome.cache === 'STALE',
        );
        if (window !== undefined) this.series?.stale(sec, window, outcome.servedBy);
      }
    }
    const read = operation.op === 'read';
    this.series?.response(sec, { ...outcome, read, us: latencyUs });
    if (!t.measured) return;
    const { cache, servedBy, status } = outcome;
    this.stats.recordResponse({ op: operation.op, cache, servedBy, status, latencyUs });
  }

  /** Waits for in-flight requests up to their timeout plus a grace; the rest count as timeouts. */
  private async drain(): Promise<void> {
    if (this.inFlight === 0) return;
    const idle = new Promise<void>((resolve) => {
      this.onIdle = resolve;
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.o.timeoutMs + DRAIN_GRACE_MS);
    });
    const first = await Promise.race([idle, deadline]);
    clearTimeout(timer);
    if (first !== 'late') return;
    this.abandoned = true;
    // Destroying the client fails every pending request at once; settle() counts them as timeouts.
    await this.client.destroy();
    await Promise.race([idle, new Promise((resolve) => setTimeout(resolve, DRAIN_GRACE_MS))]);
  }

  private startProgress(): NodeJS.Timeout {
    const timer = setInterval(
      () => this.o.onProgress?.(this.progress()),
      this.o.progressIntervalMs,
    );
    timer.unref();
    return timer;
  }

  private progress(): RunProgress {
    const elapsedSec = (performance.now() - this.t0) / 1000;
    const phase =
      this.index >= this.total ? 'drain' : this.index < this.warmupCount ? 'warmup' : 'measure';
    return { phase, elapsedSec, inFlight: this.inFlight, ...this.totals };
  }
}
