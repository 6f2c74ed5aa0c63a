import type { ScenarioAction } from './scenario-action.ts';

/** A fault-proxy toxic on one hop. Rolled back by removing it. */
export const applyToxic: ScenarioAction<'apply-toxic'> = {
  kind: 'apply-toxic',
  describe: (spec) => `${spec.toxic.type} toxic '${spec.toxic.name}' on ${spec.hop}`,
  run: (ctx, spec) => ctx.driver.applyToxic(ctx.lab, spec.hop, spec.toxic),
  rollback: (ctx, spec) => ({
    label: `remove toxic ${spec.toxic.name} from ${spec.hop}`,
    run: async () => void (await ctx.driver.removeToxic(ctx.lab, spec.hop, spec.toxic.name)),
  }),
};
