import { LabError } from '../../../lab-errors.ts';
import type { RunningLab, ServiceRecord } from '../driver-types.ts';
import type { UpContext } from './up.ts';

const contexts = new WeakMap<RunningLab, UpContext>();

/** Remembers the context a native lab was started with, for the lifecycle operations. */
export function rememberContext(lab: RunningLab, ctx: UpContext): void {
  contexts.set(lab, ctx);
}

/** The context of a lab the native driver started in this process; ACTION_UNSUPPORTED otherwise. */
export function contextOf(lab: RunningLab): UpContext {
  const ctx = contexts.get(lab);
  if (!ctx) {
    throw new LabError(
      'ACTION_UNSUPPORTED',
      `the native driver can only change a topology it started in this process (${lab.topology.name} was not)`,
    );
  }
  return ctx;
}

/** Replaces (or adds) the record of `record.name` in the lab's state, so `down` checks its ports. */
export function updateRecord(lab: RunningLab, record: ServiceRecord): void {
  const services = lab.state.services;
  const at = services.findIndex((s) => s.name === record.name);
  if (at >= 0) services[at] = record;
  else services.push(record);
}
