import type { Driver, RunningLab } from '../../run/driver/driver-types.ts';
import type { LifecycleOutcome } from '../../run/driver/lifecycle-types.ts';
import type { ActionKind, ActionSpec } from '../scenario-model.ts';

/** What an action acts through: the driver that started the lab, and the lab. */
export interface ActionContext {
  driver: Driver;
  lab: RunningLab;
}

/** An undo registered once an action ran; it checks the lab's state, so running it twice is harmless. */
export interface Rollback {
  label: string;
  run(): Promise<void>;
}

/** One kind of scenario action: what it does to the lab, and how to put the lab back. */
export interface ScenarioAction<K extends ActionKind = ActionKind> {
  readonly kind: K;
  /** One line for the timeline and the report, e.g. `kill app-2`. */
  describe(spec: Extract<ActionSpec, { kind: K }>): string;
  /** Does it; the outcome goes on the timeline. */
  run(ctx: ActionContext, spec: Extract<ActionSpec, { kind: K }>): Promise<LifecycleOutcome>;
  /** The undo of what `run` did (undefined: nothing to undo, e.g. a flush or a workload change). */
  rollback(
    ctx: ActionContext,
    spec: Extract<ActionSpec, { kind: K }>,
    outcome: LifecycleOutcome,
  ): Rollback | undefined;
}

/** Restarts `service` if it is not up (killed, stopped or paused); nothing otherwise. */
export function bringBack(ctx: ActionContext, service: string): Rollback {
  return {
    label: `bring ${service} back`,
    run: async () => {
      const state = (await ctx.driver.services(ctx.lab)).find((s) => s.name === service);
      if (state && !state.up) await ctx.driver.restart(ctx.lab, service);
    },
  };
}
