import { isLabError } from '../../lab-errors.ts';
import type { ActionContext, ScenarioAction } from './scenario-action.ts';
import { bringBack } from './scenario-action.ts';

const FAILBACK_TRIES = 40;
const FAILBACK_PAUSE_MS = 250;

/** Fails back once the old master has rejoined as a replica (polled, bounded to ~10 s). */
async function failBack(ctx: ActionContext, nodeTimeoutMs: number | undefined): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.driver.failoverRedisMaster(ctx.lab, 'cluster-failover', { nodeTimeoutMs });
      return;
    } catch (error) {
      const waiting = isLabError(error) && error.code === 'ACTION_FAILED';
      if (!waiting || attempt >= FAILBACK_TRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, FAILBACK_PAUSE_MS));
    }
  }
}

/**
 * A Redis Cluster master lost (SIGKILL) or handed over (`CLUSTER FAILOVER` on its replica), with
 * cluster-node-timeout set first. Rolled back by bringing the old master back as a replica and
 * failing back to it, with the previous cluster-node-timeout.
 */
export const clusterFailover: ScenarioAction<'cluster-failover'> = {
  kind: 'cluster-failover',
  describe: (spec) =>
    `${spec.mode === 'kill' ? 'kill' : 'CLUSTER FAILOVER'} the master of slot 0 (cluster-node-timeout ${spec.nodeTimeoutMs} ms)`,
  run: (ctx, spec) =>
    ctx.driver.failoverRedisMaster(ctx.lab, spec.mode, { nodeTimeoutMs: spec.nodeTimeoutMs }),
  rollback: (ctx, _spec, outcome) => ({
    label: `bring ${outcome.service} back and fail back to it`,
    run: async () => {
      await bringBack(ctx, outcome.service).run();
      const previous = Number(outcome.related?.previousNodeTimeoutMs);
      await failBack(ctx, Number.isFinite(previous) && previous > 0 ? previous : undefined);
    },
  }),
};
