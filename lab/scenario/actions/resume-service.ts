import type { ScenarioAction } from './scenario-action.ts';

/** SIGCONT (docker unpause) of a paused service; nothing to undo. */
export const resumeService: ScenarioAction<'resume'> = {
  kind: 'resume',
  describe: (spec) => `resume ${spec.service}`,
  run: (ctx, spec) => ctx.driver.resume(ctx.lab, spec.service),
  rollback: () => undefined,
};
