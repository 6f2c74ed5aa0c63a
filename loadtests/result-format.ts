import { z } from 'zod';
import { CACHE_RESULT_LABELS, ERROR_CLASSES, type RunResult } from './result-types.ts';

export * from './result-types.ts';

const count = z.number().int().nonnegative();
const ms = z.number().nonnegative();

/** Latency percentiles in ms (shared with the comparison's results.json schema). */
export const latencySummarySchema = z.strictObject({
  count,
  mean: ms,
  p50: ms,
  p90: ms,
  p95: ms,
  p99: ms,
  p999: ms,
  max: ms,
});

/** X-Cache values (plus the generator's own labels). */
export const cacheLabel = z.enum(CACHE_RESULT_LABELS);

/** Requests scheduled, sent, dropped and completed in the measured window. */
export const requestCountsSchema = z.strictObject({
  scheduled: count,
  sent: count,
  dropped: count,
  completed: count,
  reads: count,
  writes: count,
  retried: count.optional(),
});

/** Failed requests by class. */
export const errorCountsSchema = z.strictObject({
  timeout: count,
  connection: count,
  http4xx: count,
  http5xx: count,
  other: count,
});

/** What the generator itself spent in the measured window. */
export const generatorCpuSchema = z.strictObject({
  workers: z.number().int().positive(),
  cpuMs: ms,
  cpuUsPerRequest: z.number().nonnegative(),
  coresUsed: z.number().nonnegative(),
  maxEventLoopUtilization: z.number().min(0).max(1),
});

/** zod schema of RunResult; result-format.schema.json is generated from it. */
export const runResultSchema = z.strictObject({
  schemaVersion: z.literal(1),
  generator: z.enum(['node', 'k6']),
  topology: z.string().min(1),
  workload: z.string().min(1),
  startedAt: z.iso.datetime(),
  durationSec: z.number().positive(),
  warmupSec: z.number().nonnegative(),
  keyCount: z.number().int().positive(),
  seed: z.number().int(),
  offeredRps: z.number().positive(),
  achievedRps: z.number().nonnegative(),
  throughputRps: z.number().nonnegative(),
  valid: z.boolean(),
  invalidReasons: z.array(z.string()),
  requests: requestCountsSchema,
  errors: errorCountsSchema,
  errorSamples: z.partialRecord(z.enum(ERROR_CLASSES), z.string()),
  latencyMs: latencySummarySchema,
  latencyMsByCacheResult: z.partialRecord(cacheLabel, latencySummarySchema),
  latencyMsByOp: z.strictObject({
    read: latencySummarySchema.optional(),
    write: latencySummarySchema.optional(),
  }),
  cacheResults: z.partialRecord(cacheLabel, count),
  servedBy: z.record(z.string(), count),
  staleReads: count,
  graceStaleReads: count.optional(),
  staleReadRate: z.number().min(0).max(1),
  maxStaleWindowMs: ms,
  schedulingLagMs: z.strictObject({ p50: ms, p99: ms, max: ms }).nullable(),
  generatorCpu: generatorCpuSchema.optional(),
  maxInFlight: z.number().int().positive(),
  timeoutMs: z.number().positive(),
}) satisfies z.ZodType<RunResult>;

/** The JSON Schema (draft 2020-12) of RunResult, derived from runResultSchema. */
export function runResultJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(runResultSchema, { target: 'draft-2020-12' });
  return {
    $schema: schema.$schema,
    $id: 'https://cachelab.local/schemas/run-result.json',
    title: 'cachelab RunResult',
    description: 'One load run (Node runner or k6), measured window only; written by loadtests/.',
    ...schema,
  };
}

/** Parses unknown JSON into a RunResult, throwing an Error that lists every problem. */
export function parseRunResult(value: unknown): RunResult {
  const parsed = runResultSchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(`invalid RunResult: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  }
  return parsed.data as RunResult;
}
