import { z } from 'zod';
import {
  cacheLabel,
  errorCountsSchema,
  generatorCpuSchema,
  latencySummarySchema as latencySchema,
  requestCountsSchema,
} from '../../loadtests/result-format.ts';
import { DRIVER_NAMES } from '../lab-config.ts';
import { consistencyFiguresSchema } from './consistency-schema.ts';
import { windowCostSchema } from './cost-schema.ts';
import { networkResultSchema } from './network-schema.ts';
import { calibrationSchema, simulationSchema } from './simulation-schema.ts';

const count = z.number().int().nonnegative();
const nonNegative = z.number().nonnegative();
const ratio = z.number().min(0).max(1);

/** Hit ratio per tier; null where the topology has no such tier. l2 is conditional on an L1 miss. */
export const tierHitRatioSchema = z.strictObject({
  overall: ratio.nullable(),
  l1: ratio.nullable(),
  l2: ratio.nullable(),
});

const appServerSchema = z.strictObject({
  server: z.string().min(1),
  /** Responses with this X-Served-By in the measured window (client side). */
  requests: count,
  /** Profile requests the server counted between the scrapes (server side). */
  serverRequests: count,
  l1Entries: count,
  evictions: count,
  invalidationsSent: count,
  invalidationsReceived: count,
  cacheErrors: count,
});

const redisNodeSchema = z.strictObject({
  node: z.string().regex(/^redis-\d+$/),
  role: z.enum(['master', 'replica']),
  ops: count,
  opsPerSec: nonNegative,
  keyspaceHits: count,
  keyspaceMisses: count,
  keys: count,
  commands: z.record(z.string(), count),
});

const databaseSchema = z.strictObject({
  /** profile_aggregate queries counted by the apps between the scrapes. */
  aggregateQueries: count,
  updateQueries: count,
  /** Profile requests counted by the apps between the scrapes (the denominator). */
  serverRequests: count,
  /** pg_stat_statements calls of the aggregate between the scrapes (null: extension missing). */
  statementsCalls: count.nullable(),
  statementsMeanMs: nonNegative.nullable(),
  /** Whether the apps' count and pg_stat_statements agree within 2% (+2 calls). */
  crossCheck: z.enum(['agree', 'disagree', 'unavailable']),
  xactCommit: count,
  tupReturned: count,
  blksHit: count,
  blksRead: count,
});

const timingsSchema = z.strictObject({
  upSec: nonNegative,
  loadSec: nonNegative,
  downSec: nonNegative,
  totalSec: nonNegative,
});

const topologyInfo = {
  topology: z.string().min(1),
  question: z.string(),
  appServerCount: z.number().int().positive(),
  cacheMode: z.string().min(1),
  redisLayout: z.string(),
  loadBalancing: z.string().min(1),
};

/**
 * How a topology's warm-up ended: the hit ratio of each half of the measured window (server side),
 * and whether they agreed within the threshold before the bound on extra windows was reached.
 */
export const warmupSchema = z.strictObject({
  /** Seconds of load before the measured window: the initial warm-up plus any discarded windows. */
  seconds: nonNegative,
  /** Requests offered in those seconds (warm-up chunks run faster than the measured rate). */
  requests: count,
  /** Windows measured, found unsettled, and counted as warm-up. */
  extraWindows: count,
  /** The most extra windows allowed (the stated bound). */
  maxExtraWindows: count,
  halves: z.strictObject({ first: ratio.nullable(), second: ratio.nullable() }),
  /** Largest |second − first| accepted as stable (absolute). */
  threshold: ratio,
  stable: z.boolean(),
  /** The bound was reached with the hit ratio still moving: the run is flagged. */
  boundReached: z.boolean(),
});

/** A figure over repeated runs: the median and its order-statistic interval. */
export const medianIntervalSchema = z.strictObject({
  median: z.number(),
  low: z.number(),
  high: z.number(),
  n: z.number().int().positive(),
  /** What the interval really covers (below 95 % when fewer than 6 runs were measured). */
  coverage: ratio,
});

/**
 * A topology measured several times (`--repeat N`): the record's other fields are the run with
 * the median p50; these are the medians and intervals of every figure `cachelab diff` compares.
 */
export const repeatSchema = z.strictObject({
  /** Runs asked for. */
  runs: z.number().int().positive(),
  /** Runs that were measured (a failed repeat is left out and noted in the warnings). */
  measured: z.number().int().positive(),
  confidence: ratio,
  method: z.literal('order-statistic interval of the median'),
  figures: z.record(z.string(), medianIntervalSchema),
});

/** A topology that was brought up and measured. */
export const measuredTopologySchema = z.strictObject({
  ...topologyInfo,
  status: z.literal('ok'),
  workload: z.string().min(1),
  offeredRps: z.number().positive(),
  achievedRps: nonNegative,
  throughputRps: nonNegative,
  valid: z.boolean(),
  invalidReasons: z.array(z.string()),
  requests: requestCountsSchema,
  errors: errorCountsSchema,
  errorRate: ratio,
  latencyMs: latencySchema,
  latencyMsByCacheResult: z.partialRecord(cacheLabel, latencySchema),
  cacheResults: z.partialRecord(cacheLabel, count),
  hitRatio: tierHitRatioSchema,
  /** The same ratios from the apps' cache operation counters (server side). */
  hitRatioServerSide: tierHitRatioSchema,
  dbQueriesPerRequest: nonNegative,
  database: databaseSchema,
  redisOpsPerNode: z.array(redisNodeSchema),
  staleReads: count,
  staleReadRate: ratio,
  maxStaleWindowMs: nonNegative,
  appServers: z.array(appServerSchema),
  schedulingLagMs: z
    .strictObject({ p50: nonNegative, p99: nonNegative, max: nonNegative })
    .nullable(),
  /** Seconds between the scrapes around the measured window. */
  serverWindowSec: nonNegative,
  warnings: z.array(z.string()),
  timings: timingsSchema,
  /** Absent in runs made before warm-up was checked. */
  warmup: warmupSchema.optional(),
  /** Present when the comparison ran with --repeat N > 1. */
  repeat: repeatSchema.optional(),
  /** What the load generator itself spent in the window (Node runner). */
  generatorCpu: generatorCpuSchema.optional(),
  /** CPU and memory per component over the window. */
  cost: windowCostSchema.optional(),
  /** How stale the topology went under its consistency mode, and the mode's cost (absent in older runs). */
  consistency: consistencyFiguresSchema.optional(),
});

/** A topology that could not be measured. */
export const failedTopologySchema = z.strictObject({
  ...topologyInfo,
  status: z.literal('failed'),
  phase: z.enum(['up', 'load', 'scrape', 'down']),
  error: z.string(),
  timings: timingsSchema,
});

/** One topology of a comparison. */
export const topologyOutcomeSchema = z.discriminatedUnion('status', [
  measuredTopologySchema,
  failedTopologySchema,
]);

/** results.json of `cachelab compare`. */
export const comparisonResultsSchema = z.strictObject({
  schemaVersion: z.literal(1),
  kind: z.literal('cachelab-compare'),
  runId: z.string().regex(/^[\w.-]+$/),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  elapsedSec: nonNegative,
  parameters: z.strictObject({
    workload: z.string().min(1),
    quick: z.boolean(),
    rate: z.number().positive(),
    warmupSec: nonNegative,
    durationSec: z.number().positive(),
    seedUsers: z.number().int().positive(),
    keyCount: z.number().int().positive(),
    seed: z.number().int(),
    timeoutMs: z.number().positive(),
    maxInFlight: z.number().int().positive(),
    maxLagP99Ms: z.number().positive(),
    /** Per app server /metrics scrape, ms (absent in older runs, which used 5000 and failed on a miss). */
    scrapeTimeoutMs: z.number().int().positive().optional(),
    /** Runs per topology (--repeat); absent in older runs, which ran each once. */
    repeat: z.number().int().positive().optional(),
    /** How warm-up went on until the hit ratio was stable (absent in older runs). */
    warmupPolicy: z
      .strictObject({
        rps: z.number().positive(),
        maxSec: nonNegative,
        maxExtraWindows: count,
        stableWithin: ratio,
      })
      .optional(),
    topologies: z.array(z.string().min(1)).min(1),
    /** The driver that brought each topology up (native processes, compose containers). */
    driver: z.enum(DRIVER_NAMES),
    /** Front door of a lab that ran elsewhere (driver remote: swarm, Kubernetes); absent when started here. */
    target: z.string().url().optional(),
    /** Network profile of every topology (--network); absent in older runs, which were loopback. */
    network: z.string().optional(),
    /** Consistency modes each topology ran with (--consistency); absent: each topology's default. */
    consistency: z.array(z.string().min(1)).optional(),
  }),
  machine: z.strictObject({
    cpuModel: z.string(),
    cores: z.number().int().positive(),
    memoryBytes: z.number().int().positive(),
    platform: z.string(),
    osRelease: z.string(),
    arch: z.string(),
  }),
  versions: z.strictObject({
    node: z.string().min(1),
    postgres: z.string().nullable(),
    redis: z.string().nullable(),
    nginx: z.string().nullable(),
  }),
  topologies: z.array(topologyOutcomeSchema),
  calibration: calibrationSchema.nullable(),
  simulation: simulationSchema.nullable(),
  /** Round trip added per hop and how it measured; absent in older runs (loopback). */
  network: networkResultSchema.optional(),
});
