import type { ScenarioAction } from './scenario-action.ts';

/**
 * A workload change mid-run. The load runner switches streams on its own schedule (a phase given
 * before the run starts), so there is nothing to do here but mark the moment.
 */
export const changeWorkload: ScenarioAction<'change-workload'> = {
  kind: 'change-workload',
  describe: (spec) => `workload becomes ${spec.workload}`,
  run: async (_ctx, spec) => ({ service: 'load', detail: `workload → ${spec.workload}` }),
  rollback: () => undefined,
};
