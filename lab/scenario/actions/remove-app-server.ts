import { isLabError } from '../../lab-errors.ts';
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
      if (state?.inRotation) return;
      // Adding brings back the server taken out; where a driver cannot add (compose behind the
      // fault proxy, which only stopped the container), the container is started again.
      try {
        await ctx.driver.addAppServer(ctx.lab);
      } catch (error) {
        if (!isLabError(error) || error.code !== 'ACTION_UNSUPPORTED') throw error;
        await ctx.driver.restart(ctx.lab, outcome.service);
      }
    },
  }),
};
