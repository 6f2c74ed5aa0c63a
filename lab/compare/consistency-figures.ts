import type { RunResult } from '../../loadtests/result-types.ts';
import { delayQuantileUpperBound } from '../measure/scrape/invalidator-counters.ts';
import type { ServerDelta } from '../measure/scrape/snapshot.ts';
import type { ConsistencyFigures } from '../report/consistency-schema.ts';
import type { Topology } from '../topology/model.ts';

function sumRecords(records: (Record<string, number> | undefined)[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const record of records) {
    for (const [key, value] of Object.entries(record ?? {})) total[key] = (total[key] ?? 0) + value;
  }
  return total;
}

/** The invalidator's figures over the window, when it was read at both ends. */
export function invalidatorFigures(delta: ServerDelta): ConsistencyFigures['invalidator'] {
  const all = delta.invalidators ?? [];
  if (all.length === 0) return undefined;
  const buckets = sumRecords(all.map((i) => i.delayBuckets));
  const p99 = delayQuantileUpperBound(buckets, 0.99);
  return {
    applied: all.reduce((sum, i) => sum + i.applied, 0),
    failures: all.reduce((sum, i) => sum + i.failures, 0),
    replayed: all.reduce((sum, i) => sum + i.replayed, 0),
    pending: all.reduce((sum, i) => sum + i.pending, 0),
    lagSec: Math.max(...all.map((i) => i.lagSeconds)),
    applyDelayP99Sec: p99 === null || !Number.isFinite(p99) ? null : p99,
  };
}

function withInvalidator(delta: ServerDelta): Pick<ConsistencyFigures, 'invalidator'> {
  const figures = invalidatorFigures(delta);
  return figures ? { invalidator: figures } : {};
}

/** The consistency figures of a measured window: audit, mode events, grace, write latency, Redis ops. */
export function consistencyFigures(
  t: Topology,
  run: RunResult,
  delta: ServerDelta,
): ConsistencyFigures {
  const audit = sumRecords(delta.apps.map((a) => a.auditChecks));
  const byResult = (result: string) =>
    Object.entries(audit)
      .filter(([key]) => key.endsWith(`:${result}`))
      .reduce((sum, [, n]) => sum + n, 0);
  const requests = delta.apps.reduce((sum, a) => sum + a.profileRequests, 0);
  const redisOps = delta.redis.reduce((sum, n) => sum + n.ops, 0);
  const write = run.latencyMsByOp?.write;
  return {
    mode: t.consistency.mode,
    graceMs: t.consistency.graceMs,
    writeLatencyMs: write ? { p50: write.p50, p99: write.p99 } : null,
    redisOpsPerRequest: t.redis.kind === 'none' || requests === 0 ? null : redisOps / requests,
    audit: {
      checked: Object.values(audit).reduce((sum, n) => sum + n, 0),
      stale: byResult('stale'),
      healed: byResult('healed'),
    },
    events: sumRecords(delta.apps.map((a) => a.consistencyEvents)),
    grace: sumRecords(delta.apps.map((a) => a.graceReads)),
    ...withInvalidator(delta),
  };
}
