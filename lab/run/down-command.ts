import { loadLabConfig } from '../lab-config.ts';
import { attach } from './driver/attach.ts';
import type { LabState, ProgressListener } from './driver/driver-types.ts';

/**
 * `cachelab down`: stops the recorded topology with the driver that started it, frees its ports and
 * forgets it; returns what was stopped, or undefined when nothing was running.
 */
export async function downCommand(onProgress?: ProgressListener): Promise<LabState | undefined> {
  const lab = await attach(loadLabConfig().stateFile);
  if (!lab) return undefined;
  await lab.down(onProgress);
  return lab.state;
}
