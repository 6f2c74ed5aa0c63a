import { bringBack, type ScenarioAction } from './scenario-action.ts';

/** Graceful stop of one service. Rolled back by a restart. */
export const stopService: ScenarioAction<'stop'> = {
  kind: 'stop',
  describe: (spec) => `stop ${spec.service}`,
  run: (ctx, spec) => ctx.driver.stop(ctx.lab, spec.service),
  rollback: (ctx, spec) => bringBack(ctx, spec.service),
};
