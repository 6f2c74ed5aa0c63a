import { z } from 'zod';

const num = z.number();
const nullableNum = z.number().nullable();

/** One second of a scenario run: what the generator saw and what the servers did. */
export const scenarioSecondSchema = z.strictObject({
  t: num,
  offered: num,
  sent: num,
  ok: num,
  errors: z.strictObject({
    timeout: num,
    connection: num,
    http4xx: num,
    http5xx: num,
    other: num,
  }),
  p50Ms: num,
  p99Ms: num,
  /** Hit ratio of this second's reads (null without a cache or without reads). */
  hitRatio: nullableNum,
  /** Reads answered by an L1 / an L2 / missed / bypassed the cache. */
  reads: z.strictObject({ l1: num, l2: num, miss: num, bypass: num }),
  dbQps: nullableNum,
  redisOps: z.record(z.string(), nullableNum),
  staleReads: num,
  /** Inside the steady-state hypothesis. */
  holds: z.boolean(),
});

/** An action (or a rollback) as it happened. */
export const scenarioEventSchema = z.strictObject({
  phase: z.enum(['action', 'rollback']),
  kind: z.string(),
  description: z.string(),
  /** Planned offset from the start of the load (actions only). */
  atSec: nullableNum,
  startedSec: num,
  endedSec: num,
  ok: z.boolean(),
  detail: z.string(),
});

const busPhase = z.strictObject({ reads: num, staleReads: num, l1Share: nullableNum });
const busPhases = z.strictObject({ before: busPhase, during: busPhase, after: busPhase });
const busRates = z.strictObject({ before: nullableNum, during: nullableNum, after: nullableNum });

const verdictSchema = z.strictObject({ seconds: num, broken: num, holds: z.boolean() });

/** Derived figures of one scenario run. */
export const scenarioFiguresSchema = z.strictObject({
  /** Requests after the warm-up, and how many of them failed. */
  requests: num,
  requestsFailed: num,
  /** Share answered without a 5xx or a transport error, after the warm-up. */
  availability: num,
  /** Requests that failed during the warm-up (the lab settling), not counted in availability. */
  warmupRequestsFailed: num.default(0),
  timeToDetectSec: nullableNum,
  timeToRecoverSec: nullableNum,
  baselineDbQps: nullableNum,
  peakDbQps: nullableNum,
  peakDbFactor: nullableNum,
  staleReads: num,
  maxStaleWindowMs: num,
  /** Grace answers (X-Cache: STALE) older than an acknowledged write: declared, not in staleReads. */
  graceStaleReads: num.optional(),
  hitRatioDip: nullableNum,
  dipSeconds: num,
  timeTo90PctSec: nullableNum,
  keyMovement: z
    .strictObject({
      measured: num,
      predicted: num,
      /** `nginx-chash`: nginx's ring over its real upstreams, for the probed keys; `ketama`: hashring. */
      scheme: z.string(),
      from: num,
      to: num,
      /** Probed keys answered before and after the change: what both shares are computed over. */
      keys: num.optional(),
    })
    .nullable(),
  failover: z.strictObject({ unavailableSec: num, predictedSec: num }).nullable(),
  hotNode: z.strictObject({ node: z.string(), share: num }).nullable(),
  l1Share: nullableNum,
  /** One server's invalidation bus cut (bus-partition): that server against the others. */
  busPartition: z
    .strictObject({
      server: z.string(),
      cutSec: num,
      restoredSec: num,
      /** Reads, stale reads and L1 share before the cut, during it, and after the bus returned. */
      cutServer: busPhases,
      otherServers: busPhases,
      /** Seconds from the cut until the cut server answered no read from its L1 (null: never). */
      l1OffAfterSec: nullableNum,
      /** Seconds from the bus's return until its L1 answered half its baseline share (null: never). */
      l1BackAfterSec: nullableNum,
      /** The cut server's L1 entries (its /metrics) as the cut began, as the bus returned, at the end. */
      l1Entries: z.strictObject({
        beforeCut: nullableNum,
        atReturn: nullableNum,
        end: nullableNum,
      }),
      /** Bus messages received per second per server (its /metrics), before, during, after the cut. */
      received: z.strictObject({ cutServer: busRates, otherServers: busRates }),
      /** Hearing the bus again, back on its L1, and no more stale than the others (or itself before). */
      caughtUp: z.boolean(),
    })
    .nullable()
    .default(null),
});

/** One scenario against one topology. */
export const scenarioRunSchema = z.strictObject({
  scenario: z.string(),
  question: z.string(),
  topology: z.string(),
  /** The variant's label (e.g. `with grace`), null for a scenario without variants. */
  variant: z.string().nullable(),
  /** The topology settings this run had. */
  settings: z.strictObject({ network: z.string(), consistency: z.string(), graceMs: num }),
  driver: z.string(),
  status: z.enum(['completed', 'failed']),
  error: z.string().nullable(),
  /** The first message the generator saw per error class (e.g. `HTTP 503`, `UND_ERR_SOCKET: other side closed`). */
  errorSamples: z.record(z.string(), z.string()),
  /** Reads the generator sent twice: the server closed their reused keep-alive connection first. */
  requestsRetried: num.default(0),
  load: z.strictObject({
    workload: z.string(),
    rate: num,
    keyCount: num,
    warmupSec: num,
    durationSec: num,
  }),
  tolerances: z.strictObject({
    maxErrorRate: num,
    maxP99Factor: num,
    minHitRatioFactor: num,
    maxStaleReadRate: num.optional(),
  }),
  baseline: z.strictObject({
    errorRate: num,
    p99Ms: num,
    hitRatio: nullableNum,
    dbQps: nullableNum,
  }),
  events: z.array(scenarioEventSchema),
  series: z.array(scenarioSecondSchema),
  figures: scenarioFiguresSchema.nullable(),
  verdicts: z
    .strictObject({ before: verdictSchema, during: verdictSchema, after: verdictSchema })
    .nullable(),
  /** One sentence computed from the figures. */
  verdict: z.string(),
  wallSec: num,
});

/** The results.json of `cachelab scenario run` / `make scenarios`. */
export const scenarioResultsSchema = z.strictObject({
  schemaVersion: z.literal(1),
  kind: z.literal('scenarios'),
  startedAt: z.string(),
  wallSec: num,
  machine: z.strictObject({
    cpuModel: z.string(),
    cores: num,
    memoryBytes: num,
    platform: z.string(),
    osRelease: z.string(),
    arch: z.string(),
  }),
  runs: z.array(scenarioRunSchema),
  notRun: z.array(
    z.strictObject({ scenario: z.string(), topology: z.string().nullable(), reason: z.string() }),
  ),
});

/** One scenario run, as results.json records it. */
export type ScenarioRunRecord = z.infer<typeof scenarioRunSchema>;
/** One second of a run. */
export type ScenarioSecond = z.infer<typeof scenarioSecondSchema>;
/** An action or rollback as it happened. */
export type ScenarioEvent = z.infer<typeof scenarioEventSchema>;
/** Derived figures of a run. */
export type ScenarioFigures = z.infer<typeof scenarioFiguresSchema>;
/** The scenario results document. */
export type ScenarioResults = z.infer<typeof scenarioResultsSchema>;
