// k6 1.x script (TypeScript run directly by k6). Example:
//   BASE_URL=http://127.0.0.1:8080 WORKLOAD=read-heavy RATE=500 DURATION=60 WARMUP=10 MAX_VUS=300 \
//   TOPOLOGY=local SERVER_IDS=app-1,app-2 RESULT_PATH=results/k6.json k6 run loadtests/k6/profile-load.ts
import { randomBytes } from 'k6/crypto';
import exec from 'k6/execution';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { Counter, Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import { formatRunSummary } from '../result-summary.ts';
import { CACHE_RESULT_LABELS, type CacheResultLabel, type ErrorClass } from '../result-types.ts';
import { StalenessTracker } from '../runner/staleness.ts';
import { createOperationStream, type Operation, patchBodyFor } from '../workload.ts';
import { buildK6Options, MEASURE_SCENARIO, readK6Config } from './k6-config.ts';
import { K6_METRICS, type K6SummaryData, toRunResult } from './k6-summary.ts';

const config = readK6Config(__ENV);

/** Scenarios (warm-up, then the measured window), thresholds and tags, all from __ENV. */
export const options: Options = buildK6Options(config);

// Custom metrics must exist before the run starts, hence one per known label.
const reads = new Counter(K6_METRICS.reads);
const writes = new Counter(K6_METRICS.writes);
const responses = new Counter(K6_METRICS.responses);
const versionedReads = new Counter(K6_METRICS.versionedReads);
const staleReads = new Counter(K6_METRICS.staleReads);
const staleWindow = new Trend(K6_METRICS.staleWindow, true);
const latencyByOp = {
  read: new Trend(K6_METRICS.latencyRead, true),
  write: new Trend(K6_METRICS.latencyWrite, true),
};
const cacheCounts = new Map<CacheResultLabel, Counter>();
const cacheLatency = new Map<CacheResultLabel, Trend>();
for (const label of CACHE_RESULT_LABELS) {
  cacheCounts.set(label, new Counter(K6_METRICS.cacheCount(label)));
  cacheLatency.set(label, new Trend(K6_METRICS.cacheLatency(label), true));
}
const errorCounters = {
  timeout: new Counter(K6_METRICS.error('timeout')),
  connection: new Counter(K6_METRICS.error('connection')),
  http4xx: new Counter(K6_METRICS.error('http4xx')),
  http5xx: new Counter(K6_METRICS.error('http5xx')),
  other: new Counter(K6_METRICS.error('other')),
} satisfies Record<ErrorClass, Counter>;
const servedByCounters = config.serverIds.map((_, i) => new Counter(K6_METRICS.servedBy(i)));
const servedByOther = new Counter(K6_METRICS.servedByOther);

// Per-VU state: VUs share no memory, so staleness is seen only through a VU's own writes (a lower bound).
let nextOperation: (() => Operation) | undefined;
const staleness = new StalenessTracker();
let writeSeq = 0;

/** Runs once before the scenarios; its result reaches handleSummary as setup_data. */
export function setup(): { startedAt: string } {
  return { startedAt: new Date().toISOString() };
}

function classify(res: RefinedResponse<ResponseType | undefined>): ErrorClass | undefined {
  if (res.status >= 500) return 'http5xx';
  if (res.status >= 400) return 'http4xx';
  if (res.status !== 0) return undefined;
  // k6 error codes: 1050 request timeout; 1000-1399 network, DNS, TCP (incl. dial timeout) and TLS.
  if (res.error_code === 1050) return 'timeout';
  return res.error_code >= 1000 && res.error_code < 1400 ? 'connection' : 'other';
}

/** A random (version 4) UUID: k6/crypto's random bytes, laid out as RFC 9562 says. */
function randomUuid(): string {
  const bytes = new Uint8Array(randomBytes(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function send(operation: Operation): RefinedResponse<ResponseType | undefined> {
  const url = `${config.baseUrl}/profiles/${operation.id}`;
  const params = { timeout: `${config.timeoutMs}ms`, tags: { op: operation.op } };
  if (operation.op === 'read') {
    return http.get(url, { ...params, tags: { ...params.tags, name: 'GET /profiles/:id' } });
  }
  writeSeq++;
  return http.patch(url, patchBodyFor(operation.id, writeSeq), {
    ...params,
    // A fresh key per write: k6's Go client then replays a write lost on a closed keep-alive
    // connection, as it does a GET (net/http Request.isReplayable), and the app applies it once.
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `"${randomUuid()}"` },
    responseType: 'text',
    tags: { ...params.tags, name: 'PATCH /profiles/:id' },
  });
}

function versionOf(
  operation: Operation,
  res: RefinedResponse<ResponseType | undefined>,
): number | undefined {
  if (res.status !== 200) return undefined;
  if (operation.op === 'read') {
    const header = Number(res.headers['X-Profile-Version']);
    return Number.isSafeInteger(header) ? header : undefined;
  }
  const body =
    typeof res.body === 'string' ? (JSON.parse(res.body) as { version?: unknown }) : undefined;
  return typeof body?.version === 'number' ? body.version : undefined;
}

function recordResponse(
  operation: Operation,
  res: RefinedResponse<ResponseType | undefined>,
): void {
  const duration = res.timings.duration;
  responses.add(1);
  latencyByOp[operation.op].add(duration);
  const server = res.headers['X-Served-By'];
  const index = server === undefined ? -1 : config.serverIds.indexOf(server);
  (servedByCounters[index] ?? servedByOther).add(1);
  if (operation.op !== 'read') return;
  const raw = res.headers['X-Cache'];
  const label: CacheResultLabel =
    raw === undefined || raw === ''
      ? 'NONE'
      : (CACHE_RESULT_LABELS.find((l) => l === raw) ?? 'OTHER');
  cacheCounts.get(label)?.add(1);
  cacheLatency.get(label)?.add(duration);
}

function trackStaleness(
  operation: Operation,
  version: number,
  startedAt: number,
  measured: boolean,
): void {
  if (operation.op === 'write') {
    staleness.recordAck(operation.id, version, Date.now());
    return;
  }
  if (measured) versionedReads.add(1);
  const window = staleness.checkRead(operation.id, version, startedAt, measured);
  if (measured && window !== undefined) {
    staleReads.add(1);
    staleWindow.add(window);
  }
}

/** One iteration = one request, started by the constant-arrival-rate executor. */
export default function iteration(): void {
  nextOperation =
    nextOperation ??
    createOperationStream({
      workload: config.workload,
      keyCount: config.keyCount,
      seed: config.seed * 1_000_003 + exec.vu.idInTest,
    });
  const operation = nextOperation();
  const measured = exec.scenario.name === MEASURE_SCENARIO;
  const startedAt = Date.now();
  const res = send(operation);
  const version = versionOf(operation, res);
  if (version !== undefined) trackStaleness(operation, version, startedAt, measured);
  if (!measured) return;
  (operation.op === 'read' ? reads : writes).add(1);
  const errorClass = classify(res);
  if (errorClass) errorCounters[errorClass].add(1);
  if (res.status !== 0) recordResponse(operation, res);
}

/** Writes the shared RunResult (generator 'k6') to RESULT_PATH and a text summary to stdout. */
export function handleSummary(data: K6SummaryData): Record<string, string> {
  const result = toRunResult(data, config);
  return {
    stdout: formatRunSummary(result),
    [config.resultPath]: `${JSON.stringify(result, null, 2)}\n`,
  };
}
