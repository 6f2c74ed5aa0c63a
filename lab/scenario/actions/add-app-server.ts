import type { ScenarioAction } from './scenario-action.ts';

/** One more app server, nginx reloaded to use it. Rolled back by removing it again. */
export const addAppServer: ScenarioAction<'add-app-server'> = {
  kind: 'add-app-server',
  describe: () => 'add an app server',
  run: (ctx) => ctx.driver.addAppServer(ctx.lab),
  rollback: (ctx, _spec, outcome) => ({
    label: `remove ${outcome.service}`,
    run: async () => {
      const state = (await ctx.driver.services(ctx.lab)).find((s) => s.name === outcome.service);
      if (state?.inRotation) await ctx.driver.removeAppServer(ctx.lab, outcome.service);
    },
  }),
};
