import { epochNow } from '../../../loadtests/runner/spread-run.ts';
import type { ScenarioEvent } from '../../report/scenario-results-schema.ts';
import { actionFor, describeAction } from '../actions/action-registry.ts';
import type { ActionContext, Rollback } from '../actions/scenario-action.ts';
import type { ActionSpec, TimedAction } from '../scenario-model.ts';

/** Called once an action or a rollback ended (for progress lines and annotations). */
export type EventListener = (event: ScenarioEvent, atEpochMs: number) => void;

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Longest a rollback may take (an app server's start is bounded at 30 s): the down comes next. */
export const ROLLBACK_TIMEOUT_MS = 60_000;

/** `work`, or a rejection once `ms` passed (the work itself is left to end on its own bounds). */
async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

function sleepUntil(epochMs: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(0, epochMs - epochNow()));
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs a scenario's actions one after the other at their offsets from the start of the load, and
 * keeps the rollback of each action that ran. The first action that fails ends the method; its
 * error is kept (`failure`), never thrown, so the rollbacks and the teardown still run.
 */
export class Timeline {
  readonly events: ScenarioEvent[] = [];
  failure: unknown;
  private readonly rollbacks: Rollback[] = [];
  private startAt = 0;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: ActionContext,
    private readonly actions: readonly TimedAction[],
    private readonly hooks: {
      beforeFirstAction?: () => Promise<void>;
      onEvent?: EventListener;
      signal?: AbortSignal;
    } = {},
  ) {}

  /** Starts the method on the load's clock (epoch ms of the load's second 0). */
  start(startAtEpochMs: number): void {
    this.startAt = startAtEpochMs;
    this.done = this.runAll();
  }

  /** Resolves once every action ran, one failed, or the signal aborted the method. */
  finished(): Promise<void> {
    return this.done;
  }

  private sec(): number {
    return (epochNow() - this.startAt) / 1000;
  }

  private async runAll(): Promise<void> {
    for (const [i, step] of this.actions.entries()) {
      await sleepUntil(this.startAt + step.atSec * 1000, this.hooks.signal);
      if (this.hooks.signal?.aborted) return;
      if (i === 0) await this.hooks.beforeFirstAction?.();
      if (!(await this.runOne(step))) return;
    }
  }

  private record(event: ScenarioEvent): void {
    this.events.push(event);
    this.hooks.onEvent?.(event, this.startAt + event.startedSec * 1000);
  }

  private async runOne(step: TimedAction): Promise<boolean> {
    const spec = step.action as ActionSpec;
    const action = actionFor(spec) as unknown as {
      run: (ctx: ActionContext, s: ActionSpec) => Promise<{ service: string; detail: string }>;
      rollback: (ctx: ActionContext, s: ActionSpec, o: unknown) => undefined | Rollback;
    };
    const startedSec = this.sec();
    const base = { phase: 'action' as const, kind: spec.kind, description: describeAction(spec) };
    try {
      const outcome = await action.run(this.ctx, spec);
      this.record({
        ...base,
        atSec: step.atSec,
        startedSec,
        endedSec: this.sec(),
        ok: true,
        detail: outcome.detail,
      });
      const rollback = action.rollback(this.ctx, spec, outcome);
      if (rollback) this.rollbacks.push(rollback);
      return true;
    } catch (error) {
      this.failure = error;
      const detail = messageOf(error);
      this.record({
        ...base,
        atSec: step.atSec,
        startedSec,
        endedSec: this.sec(),
        ok: false,
        detail,
      });
      return false;
    }
  }

  /**
   * Runs every registered rollback (last first), even after a failure or an interrupt, each bounded
   * by `timeoutMs`; returns how many failed.
   */
  async rollBack(timeoutMs = ROLLBACK_TIMEOUT_MS): Promise<number> {
    let failed = 0;
    for (let rollback = this.rollbacks.pop(); rollback; rollback = this.rollbacks.pop()) {
      const startedSec = this.sec();
      let detail = 'done';
      try {
        await within(rollback.run(), timeoutMs);
      } catch (error) {
        failed++;
        detail = messageOf(error);
      }
      this.record({
        phase: 'rollback',
        kind: 'rollback',
        description: rollback.label,
        atSec: null,
        startedSec,
        endedSec: this.sec(),
        ok: detail === 'done',
        detail,
      });
    }
    return failed;
  }
}
