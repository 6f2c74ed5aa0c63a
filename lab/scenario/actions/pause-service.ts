import type { ScenarioAction } from './scenario-action.ts';

/** SIGSTOP (docker pause) of one service: alive but silent. Rolled back by a resume. */
export const pauseService: ScenarioAction<'pause'> = {
  kind: 'pause',
  describe: (spec) => `pause ${spec.service}`,
  run: (ctx, spec) => ctx.driver.pause(ctx.lab, spec.service),
  rollback: (ctx, spec) => ({
    label: `resume ${spec.service}`,
    run: async () => {
      const state = (await ctx.driver.services(ctx.lab)).find((s) => s.name === spec.service);
      if (state && !state.up) await ctx.driver.resume(ctx.lab, spec.service);
    },
  }),
};
