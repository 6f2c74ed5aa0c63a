import {
  createOperationStream,
  isWorkloadName,
  WORKLOAD_NAMES,
  type WorkloadName,
  type WorkloadSpec,
} from '../../loadtests/workload.ts';
import { LabError } from '../lab-errors.ts';

/** Operation code of a recorded read. */
export const OP_READ = 0;
/** Operation code of a recorded write. */
export const OP_WRITE = 1;

/** A workload's operations recorded once into typed arrays, so every model replays the same requests. */
export interface RecordedStream {
  /** OP_READ or OP_WRITE per request. */
  ops: Uint8Array;
  /** Profile id (1..keyCount) per request. */
  ids: Int32Array;
}

/** What identifies a deterministic request stream. */
export interface StreamSpec {
  workload: WorkloadName | WorkloadSpec;
  keyCount: number;
  seed: number;
}

// The last recording, reused as a prefix: the CLI's resize run replays the start of the scale stream.
let lastRecording: { key: string; stream: RecordedStream } | undefined;

/** Records `count` operations of the workload module's seeded stream (read-only typed arrays). */
export function recordStream(spec: StreamSpec, count: number): RecordedStream {
  const key = JSON.stringify([spec.workload, spec.keyCount, spec.seed]);
  const last = lastRecording;
  if (last?.key === key && last.stream.ops.length >= count) {
    return { ops: last.stream.ops.subarray(0, count), ids: last.stream.ids.subarray(0, count) };
  }
  const next = createOperationStream(spec);
  const ops = new Uint8Array(count);
  const ids = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const operation = next();
    ops[i] = operation.op === 'read' ? OP_READ : OP_WRITE;
    ids[i] = operation.id;
  }
  lastRecording = { key, stream: { ops, ids } };
  return { ops, ids };
}

/** Narrows a workload name, or throws a USAGE error listing the valid ones. */
export function parseWorkload(name: string): WorkloadName {
  if (isWorkloadName(name)) return name;
  throw new LabError('USAGE', `unknown workload "${name}" (one of ${WORKLOAD_NAMES.join(', ')})`);
}

/** Throws a USAGE error unless value is an integer in [min, max]. */
export function checkInteger(name: string, value: number, min: number, max: number): number {
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  throw new LabError('USAGE', `${name} must be an integer in [${min}, ${max}], got ${value}`);
}
