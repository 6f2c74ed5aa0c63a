import { LabError } from '../../lab-errors.ts';
import type { LabState, LabStatus, ProgressListener } from './driver-types.ts';
import { getDriver } from './select-driver.ts';
import { readState, removeState } from './state-file.ts';

/** A topology started by another process (`cachelab up`), found through its state file. */
export interface AttachedLab {
  readonly state: LabState;
  status(): Promise<LabStatus>;
  logs(service?: string, lines?: number): Promise<string>;
  /** Stops every recorded service with the recording driver, checks the ports, forgets the state. */
  down(onProgress?: ProgressListener): Promise<void>;
}

/** Attaches to the topology recorded in `stateFile`; undefined when nothing is recorded. */
export async function attach(stateFile: string): Promise<AttachedLab | undefined> {
  const state = await readState(stateFile);
  if (!state) return undefined;
  const driver = getDriver(state.driver);
  return {
    state,
    status: () => driver.status(state),
    logs: (service, lines) => driver.logs(state, service, lines),
    down: async (onProgress) => {
      await driver.down(state, onProgress);
      await removeState(stateFile);
    },
  };
}

/** Like attach, but NOT_RUNNING when nothing is recorded. */
export async function requireAttached(stateFile: string): Promise<AttachedLab> {
  const lab = await attach(stateFile);
  if (!lab) throw new LabError('NOT_RUNNING', `no topology is running (no ${stateFile})`);
  return lab;
}
