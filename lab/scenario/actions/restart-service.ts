import type { ScenarioAction } from './scenario-action.ts';

/** Starts a service again on the same port and settings (its data, if any, is gone). */
export const restartService: ScenarioAction<'restart'> = {
  kind: 'restart',
  describe: (spec) => `restart ${spec.service}`,
  run: (ctx, spec) => ctx.driver.restart(ctx.lab, spec.service),
  rollback: () => undefined,
};
