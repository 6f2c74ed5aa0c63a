import type { ActionKind, ActionSpec } from '../scenario-model.ts';
import { addAppServer } from './add-app-server.ts';
import { applyToxic } from './apply-toxic.ts';
import { changeNetwork } from './change-network.ts';
import { changeWorkload } from './change-workload.ts';
import { clusterFailover } from './cluster-failover.ts';
import { flushCache } from './flush-cache.ts';
import { killService } from './kill-service.ts';
import { pauseService } from './pause-service.ts';
import { removeAppServer } from './remove-app-server.ts';
import { removeToxic } from './remove-toxic.ts';
import { restartService } from './restart-service.ts';
import { resumeService } from './resume-service.ts';
import type { ScenarioAction } from './scenario-action.ts';
import { stopService } from './stop-service.ts';

const ACTIONS: { [K in ActionKind]: ScenarioAction<K> } = {
  kill: killService,
  stop: stopService,
  pause: pauseService,
  resume: resumeService,
  restart: restartService,
  'add-app-server': addAppServer,
  'remove-app-server': removeAppServer,
  'flush-cache': flushCache,
  'apply-toxic': applyToxic,
  'remove-toxic': removeToxic,
  'cluster-failover': clusterFailover,
  'change-workload': changeWorkload,
  'change-network': changeNetwork,
};

/** The module implementing `spec.kind`, typed for `spec`. */
export function actionFor<S extends ActionSpec>(spec: S): ScenarioAction<S['kind']> {
  return ACTIONS[spec.kind] as unknown as ScenarioAction<S['kind']>;
}

/** One line describing `spec`. */
export function describeAction(spec: ActionSpec): string {
  return (actionFor(spec).describe as (s: ActionSpec) => string)(spec);
}
