import type { ScenarioAction } from './scenario-action.ts';

/** Empties a cache tier under load; nothing to undo (the caches refill). */
export const flushCache: ScenarioAction<'flush-cache'> = {
  kind: 'flush-cache',
  describe: (spec) => `flush ${spec.tier === 'all' ? 'every cache tier' : spec.tier}`,
  run: (ctx, spec) => ctx.driver.flushCache(ctx.lab, spec.tier),
  rollback: () => undefined,
};
