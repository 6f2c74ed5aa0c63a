import type { ScenarioAction } from './scenario-action.ts';

/** Removes a fault-proxy toxic; nothing to undo. */
export const removeToxic: ScenarioAction<'remove-toxic'> = {
  kind: 'remove-toxic',
  describe: (spec) => `remove toxic '${spec.name}' from ${spec.hop}`,
  run: (ctx, spec) => ctx.driver.removeToxic(ctx.lab, spec.hop, spec.name),
  rollback: () => undefined,
};
