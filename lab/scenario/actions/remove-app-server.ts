import type { ScenarioAction } from './scenario-action.ts';

/** An app server taken out of nginx and stopped. Rolled back by adding it back. */
export const removeAppServer: ScenarioAction<'remove-app-server'> = {
  kind: 'remove-app-server',
  describe: (spec) => `remove ${spec.service ?? 'the last app server'}`,
  run: (ctx, spec) => ctx.driver.removeAppServer(ctx.lab, spec.service),
  rollback: (ctx, _spec, outcome) => ({
    label: `bring ${outcome.service} back into rotation`,
    run: async () => {
      const state = (await ctx.driver.services(ctx.lab)).find((s) => s.name === outcome.service);
      if (!state?.inRotation) {
        // Native re-adds the server it took out; compose restarts the stopped container.
        if (ctx.driver.name === 'native') await ctx.driver.addAppServer(ctx.lab);
        else await ctx.driver.restart(ctx.lab, outcome.service);
      }
    },
  }),
};
