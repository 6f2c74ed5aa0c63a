import { bringBack, type ScenarioAction } from './scenario-action.ts';

/** SIGKILL (docker kill) of one service: a crash. Rolled back by a restart. */
export const killService: ScenarioAction<'kill'> = {
  kind: 'kill',
  describe: (spec) => `kill ${spec.service}`,
  run: (ctx, spec) => ctx.driver.kill(ctx.lab, spec.service),
  rollback: (ctx, spec) => bringBack(ctx, spec.service),
};
