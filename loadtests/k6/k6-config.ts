// k6 settings from __ENV. Plain TypeScript (no k6 or Node imports) so Node unit tests can load it.
import { isWorkloadName, type WorkloadName } from '../workload.ts';

/** Every setting of profile-load.ts, resolved from environment variables. */
export interface K6Config {
  baseUrl: string;
  workload: WorkloadName;
  rate: number;
  durationSec: number;
  warmupSec: number;
  keyCount: number;
  seed: number;
  timeoutMs: number;
  preAllocatedVUs: number;
  /** The in-flight cap: with no free VU an iteration is dropped. */
  maxVUs: number;
  topology: string;
  testId: string;
  resultPath: string;
  /** X-Served-By values to count by name (k6 metrics must exist before the run); others are 'other'. */
  serverIds: string[];
  p95Ms: number;
  p99Ms: number;
  maxFailedRate: number;
}

/** Scenario name of the measured window; the warm-up scenario is excluded from the result. */
export const MEASURE_SCENARIO = 'measure';
/** Scenario name of the warm-up. */
export const WARMUP_SCENARIO = 'warmup';

function num(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a number >= 0, got ${raw}`);
  return value;
}

/** Reads the k6 settings (BASE_URL, WORKLOAD, RATE, DURATION, WARMUP, KEYS, …) with defaults. */
export function readK6Config(env: Record<string, string | undefined>): K6Config {
  const workload = env.WORKLOAD ?? 'read-heavy';
  if (!isWorkloadName(workload)) throw new Error(`unknown WORKLOAD ${workload}`);
  const rate = num(env, 'RATE', 200);
  const maxVUs = num(env, 'MAX_VUS', 200);
  const topology = env.TOPOLOGY ?? 'unknown';
  const config: K6Config = {
    baseUrl: (env.BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, ''),
    workload,
    rate,
    durationSec: num(env, 'DURATION', 30),
    warmupSec: num(env, 'WARMUP', 5),
    keyCount: num(env, 'KEYS', 10_000),
    seed: num(env, 'SEED', 1),
    timeoutMs: num(env, 'TIMEOUT_MS', 2000),
    preAllocatedVUs: num(env, 'PRE_VUS', Math.min(maxVUs, Math.max(10, Math.ceil(rate / 20)))),
    maxVUs,
    topology,
    testId: env.TESTID ?? `${topology}-${workload}`,
    resultPath: env.RESULT_PATH ?? 'k6-result.json',
    serverIds: (env.SERVER_IDS ?? '').split(',').filter((s) => s !== ''),
    p95Ms: num(env, 'P95_MS', 250),
    p99Ms: num(env, 'P99_MS', 500),
    maxFailedRate: num(env, 'MAX_FAILED_RATE', 0.01),
  };
  if (!(rate > 0 && config.durationSec > 0 && config.keyCount >= 1 && maxVUs >= 1)) {
    throw new Error('RATE, DURATION, KEYS and MAX_VUS must be positive');
  }
  return config;
}

/** k6 system tags kept: no url, vu or iter, so metric labels stay bounded (never a profile id). */
export const SYSTEM_TAGS = [
  'status',
  'method',
  'name',
  'scenario',
  'expected_response',
  'error_code',
  'proto',
];

/** Trend statistics in the summary (RunResult needs p50…p99.9, max, mean and count). */
export const TREND_STATS = [
  'avg',
  'min',
  'med',
  'max',
  'p(50)',
  'p(90)',
  'p(95)',
  'p(99)',
  'p(99.9)',
  'count',
];

/** Iterations the measured scenario is scheduled to start. */
export function scheduledIterations(c: K6Config): number {
  return Math.round(c.rate * c.durationSec);
}

function scenario(c: K6Config, duration: number, startTime: number) {
  return {
    executor: 'constant-arrival-rate' as const,
    rate: c.rate,
    timeUnit: '1s',
    duration: `${duration}s`,
    startTime: `${startTime}s`,
    preAllocatedVUs: c.preAllocatedVUs,
    maxVUs: c.maxVUs,
    gracefulStop: `${Math.ceil(c.timeoutMs / 1000) + 1}s`,
  };
}

/** Thresholds on the measured scenario: failures, p95/p99 duration and dropped iterations (<= 1%). */
export function thresholdsFor(c: K6Config): Record<string, string[]> {
  const measure = `{scenario:${MEASURE_SCENARIO}}`;
  return {
    [`http_req_failed${measure}`]: [`rate<${c.maxFailedRate}`],
    [`http_req_duration${measure}`]: [`p(95)<${c.p95Ms}`, `p(99)<${c.p99Ms}`],
    [`dropped_iterations${measure}`]: [`count<${Math.floor(scheduledIterations(c) * 0.01) + 1}`],
  };
}

/** The k6 options object: open-model scenarios, thresholds, run-wide tags and bounded system tags. */
export function buildK6Options(c: K6Config) {
  return {
    scenarios: {
      ...(c.warmupSec > 0 ? { [WARMUP_SCENARIO]: scenario(c, c.warmupSec, 0) } : {}),
      // Starts as the warm-up ends, so the load never pauses; late warm-up responses keep their tag.
      [MEASURE_SCENARIO]: scenario(c, c.durationSec, c.warmupSec),
    },
    thresholds: thresholdsFor(c),
    tags: { topology: c.topology, testid: c.testId },
    systemTags: SYSTEM_TAGS,
    summaryTrendStats: TREND_STATS,
    // Reads need headers only; the PATCH asks for its body back (responseType 'text').
    discardResponseBodies: true,
  };
}
