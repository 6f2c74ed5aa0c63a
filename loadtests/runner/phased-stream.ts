import { createOperationStream, type Operation } from '../workload.ts';
import type { ResolvedOptions } from './options.ts';

/**
 * The operation due at schedule index i: drawn from the run's workload, or from the last phase that
 * started at or before i (each phase has its own deterministic stream). Call with increasing indexes.
 */
export function createPhasedStream(
  o: Pick<ResolvedOptions, 'workload' | 'phases' | 'keyCount' | 'seed' | 'rate'>,
): (index: number) => Operation {
  const base = { keyCount: o.keyCount };
  const streams: { fromIndex: number; next: () => Operation }[] = [
    { fromIndex: 0, next: createOperationStream({ ...base, workload: o.workload, seed: o.seed }) },
    ...o.phases.map((p, i) => ({
      fromIndex: Math.round(p.atSec * o.rate),
      next: createOperationStream({ ...base, workload: p.workload, seed: o.seed + i + 1 }),
    })),
  ];
  let current = streams[0] as { fromIndex: number; next: () => Operation };
  let following = 1;
  return (index) => {
    for (let s = streams[following]; s && s.fromIndex <= index; s = streams[following]) {
      current = s;
      following++;
    }
    return current.next();
  };
}
