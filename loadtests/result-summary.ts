// Plain text summary of a RunResult; no imports at run time so k6 can load it too.
import type { LatencySummary, RunResult } from './result-types.ts';

const fixed = (value: number, digits = 2): string => value.toFixed(digits);

function latencyLine(label: string, l: LatencySummary): string {
  return (
    `${label.padEnd(10)} n=${String(l.count).padEnd(8)} p50=${fixed(l.p50)} p90=${fixed(l.p90)} ` +
    `p95=${fixed(l.p95)} p99=${fixed(l.p99)} p99.9=${fixed(l.p999)} max=${fixed(l.max)} ms`
  );
}

function tally(counts: Record<string, number | undefined>): string {
  const parts = Object.entries(counts)
    .filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0)
    .map(([key, value]) => `${key}=${value}`);
  return parts.length > 0 ? parts.join(' ') : '-';
}

function generatorLine(r: RunResult): string {
  const g = r.generatorCpu;
  if (!g) return 'CPU not measured';
  return (
    `${g.workers} thread(s), CPU ${fixed(g.cpuMs, 0)} ms = ${fixed(g.cpuUsPerRequest, 1)} µs/request, ` +
    `${fixed(g.coresUsed)} cores, busiest event loop ${(g.maxEventLoopUtilization * 100).toFixed(0)}%`
  );
}

function headerLines(r: RunResult): string[] {
  const verdict = r.valid ? 'VALID' : `INVALID (${r.invalidReasons.join('; ')})`;
  const lag = r.schedulingLagMs
    ? `p50=${fixed(r.schedulingLagMs.p50)} p99=${fixed(r.schedulingLagMs.p99)} max=${fixed(r.schedulingLagMs.max)} ms`
    : 'n/a';
  return [
    `cachelab load run [${r.generator}] topology=${r.topology} workload=${r.workload} ${verdict}`,
    `  started ${r.startedAt}, warm-up ${r.warmupSec}s, measured ${r.durationSec}s, keys ${r.keyCount}, seed ${r.seed}`,
    `  rate: offered ${fixed(r.offeredRps, 1)}/s, achieved ${fixed(r.achievedRps, 1)}/s, throughput ${fixed(r.throughputRps, 1)}/s`,
    `  requests: scheduled=${r.requests.scheduled} sent=${r.requests.sent} dropped=${r.requests.dropped} completed=${r.requests.completed} reads=${r.requests.reads} writes=${r.requests.writes}${r.requests.retried === undefined ? '' : ` retried=${r.requests.retried}`}`,
    `  scheduling lag: ${lag}`,
    `  generator: ${generatorLine(r)}`,
    `  errors: ${tally(r.errors)}`,
  ];
}

/** A multi-line human summary of a run, for stdout. */
export function formatRunSummary(r: RunResult): string {
  const lines = headerLines(r);
  lines.push(`  latency ${latencyLine('all', r.latencyMs)}`);
  for (const [label, l] of Object.entries(r.latencyMsByOp)) {
    if (l) lines.push(`  latency ${latencyLine(label, l)}`);
  }
  for (const [label, l] of Object.entries(r.latencyMsByCacheResult)) {
    if (l) lines.push(`  latency ${latencyLine(label, l)}`);
  }
  lines.push(`  X-Cache: ${tally(r.cacheResults)}`);
  lines.push(`  X-Served-By: ${tally(r.servedBy)}`);
  lines.push(
    `  stale reads: ${r.staleReads} (rate ${(r.staleReadRate * 100).toFixed(3)}%), longest stale window ${fixed(r.maxStaleWindowMs)} ms`,
  );
  if (r.graceStaleReads !== undefined) {
    lines.push(`  grace answers older than an acknowledged write: ${r.graceStaleReads}`);
  }
  return `${lines.join('\n')}\n`;
}
