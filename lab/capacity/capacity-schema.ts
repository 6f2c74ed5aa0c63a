import { z } from 'zod';
import { generatorCpuSchema, latencySummarySchema } from '../../loadtests/result-format.ts';
import { windowCostSchema } from '../report/cost-schema.ts';
import { medianIntervalSchema } from '../report/results-schema.ts';
import type { FailedSearch, SearchedTopology } from './capacity-run.ts';

const nonNegative = z.number().nonnegative();
const rate = z.number().positive();

/** One step of a capacity search. */
export const capacityStepSchema = z.strictObject({
  rate,
  ok: z.boolean(),
  offeredRps: rate,
  achievedRps: nonNegative,
  throughputRps: nonNegative,
  valid: z.boolean(),
  invalidReasons: z.array(z.string()),
  sloBreaches: z.array(z.string()),
  latencyMs: latencySummarySchema,
  errorRate: z.number().min(0).max(1),
  concurrency: nonNegative,
  hitRatio: z.number().min(0).max(1).nullable(),
  l1HitRatio: z.number().min(0).max(1).nullable().optional(),
  dbQueriesPerRequest: nonNegative.nullable().optional(),
  readShare: z.number().min(0).max(1).optional(),
  generatorCpu: generatorCpuSchema.optional(),
  cost: windowCostSchema.optional(),
});

/** A topology searched `--repeat N` times: medians and 95 % intervals of its capacity figures. */
export const capacityRepeatSchema = z.strictObject({
  runs: z.number().int().positive(),
  measured: z.number().int().positive(),
  confidence: z.number().gt(0).lt(1),
  method: z.literal('order-statistic interval of the median'),
  maxSustainableRps: z.array(rate.nullable()),
  figures: z.record(z.string(), medianIntervalSchema),
});

/** The Universal Scalability Law fitted to a topology's curve. */
export const uslSchema = z.strictObject({
  lambda: nonNegative,
  sigma: nonNegative,
  kappa: nonNegative,
  peakConcurrency: nonNegative.nullable(),
  peakThroughput: nonNegative.nullable(),
  r2: z.number(),
  points: z.number().int().positive(),
});

const searchedSchema = z.strictObject({
  topology: z.string().min(1),
  status: z.literal('ok'),
  network: z.string().min(1),
  maxSustainableRps: rate.nullable(),
  firstBrokenRps: rate.nullable(),
  stoppedBecause: z.string(),
  steps: z.array(capacityStepSchema),
  usl: uslSchema.optional(),
  timings: z.strictObject({ upSec: nonNegative, searchSec: nonNegative, downSec: nonNegative }),
  warnings: z.array(z.string()),
  /** Present when the search ran with --repeat N > 1; the record is the median search. */
  repeat: capacityRepeatSchema.optional(),
}) satisfies z.ZodType<SearchedTopology>;

const failedSchema = z.strictObject({
  topology: z.string().min(1),
  status: z.literal('failed'),
  phase: z.enum(['up', 'search', 'down']),
  error: z.string(),
}) satisfies z.ZodType<FailedSearch>;

/** results.json of `cachelab capacity`. */
export const capacityResultsSchema = z.strictObject({
  schemaVersion: z.literal(1),
  kind: z.literal('cachelab-capacity'),
  runId: z.string().regex(/^[\w.-]+$/),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  elapsedSec: nonNegative,
  parameters: z.strictObject({
    workload: z.string().min(1),
    slo: z.strictObject({
      latencyMs: z.partialRecord(z.enum(['p50', 'p90', 'p95', 'p99', 'p999']), rate),
      errorRate: z.number().min(0).max(1),
    }),
    sloText: z.string(),
    network: z.string().min(1),
    driver: z.string().min(1),
    seedUsers: z.number().int().positive(),
    keyCount: z.number().int().positive(),
    stepWarmupSec: nonNegative,
    stepSec: rate,
    prewarmSec: nonNegative,
    plan: z.strictObject({
      startRps: rate,
      growth: z.number().gt(1),
      maxRps: rate,
      minRps: rate,
      resolution: z.number().gt(0).lt(1),
      maxSteps: z.number().int().positive(),
    }),
    topologies: z.array(z.string().min(1)).min(1),
    /** Searches per topology (--repeat); absent in older runs, which searched once. */
    repeat: z.number().int().positive().optional(),
  }),
  machine: z.strictObject({
    cpuModel: z.string(),
    cores: z.number().int().positive(),
    memoryBytes: nonNegative,
    platform: z.string(),
    osRelease: z.string(),
    arch: z.string(),
  }),
  node: z.string(),
  /** 1-minute load average before and after: a busy machine lowers every figure. */
  loadAverage: z.strictObject({ before: nonNegative, after: nonNegative }),
  topologies: z.array(z.discriminatedUnion('status', [searchedSchema, failedSchema])),
});

/** The results of one capacity run. */
export type CapacityResults = z.infer<typeof capacityResultsSchema>;

/** Validates unknown JSON as capacity results; throws an Error listing every problem. */
export function parseCapacityResults(value: unknown, source = 'capacity results'): CapacityResults {
  const parsed = capacityResultsSchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(
      `${source} is not a valid capacity results file:\n${z.prettifyError(parsed.error)}`,
      {
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}

/** The JSON Schema (draft 2020-12) of capacity results.json. */
export function capacityJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(capacityResultsSchema, { target: 'draft-2020-12' });
  return {
    $schema: schema.$schema,
    $id: 'https://cachelab.local/schemas/capacity-results.json',
    title: 'cachelab capacity results',
    description:
      'results.json of `cachelab capacity`: the highest sustainable rate of each topology under an SLO.',
    ...schema,
  };
}
