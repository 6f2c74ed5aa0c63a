import { loadLabConfig } from '../lab-config.ts';
import { LabError } from '../lab-errors.ts';
import type { LabState } from './driver/driver-types.ts';
import { getDriver } from './driver/select-driver.ts';
import { requireState, writeState } from './driver/state-file.ts';

/** A parsed `service=replicas` argument. */
export interface ScaleSpec {
  service: string;
  replicas: number;
}

/** Parses `app=5`; USAGE naming the expected form. */
export function parseScaleSpec(text: string): ScaleSpec {
  const m = /^([a-z][a-z0-9-]*)=(\d{1,3})$/.exec(text);
  if (!m) throw new LabError('USAGE', `expected SERVICE=N (e.g. app=5), got '${text}'`);
  return { service: m[1] ?? '', replicas: Number(m[2]) };
}

/**
 * `cachelab scale app=N`: changes the running lab's app servers live with its driver (swarm), waits
 * until exactly N serve, and records the new state.
 */
export async function scaleCommand(spec: ScaleSpec): Promise<LabState> {
  const config = loadLabConfig();
  const state = await requireState(config.stateFile);
  const driver = getDriver(state.driver);
  if (!driver.scale) {
    throw new LabError(
      'ACTION_UNSUPPORTED',
      `the ${state.driver} driver cannot scale live; run the lab with \`cachelab up <topology> --driver swarm\``,
    );
  }
  const updated = await driver.scale(state, spec.service, spec.replicas);
  await writeState(config.stateFile, updated);
  return updated;
}
