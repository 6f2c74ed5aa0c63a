import { fixed, listProse, millis, number, percent } from '../text/format.ts';
import type { ReportTable } from './report-model.ts';
import type { Table } from './report-tables.ts';
import { type ComparisonResults, type MeasuredTopology, measuredOf } from './results-types.ts';

/** Reads a run must have made for "no stale read" to mean something (the goal: 100,000). */
export const GOAL_READS = 100_000;

const readsOf = (t: MeasuredTopology): number =>
  Object.entries(t.cacheResults).reduce((sum, [, n]) => sum + (n ?? 0), 0);

function row(t: MeasuredTopology): string[] {
  const c = t.consistency;
  const event = (name: string) => number(c?.events[name] ?? 0);
  return [
    t.topology,
    c?.mode ?? 'n/a',
    percent(t.staleReadRate, 3),
    `${number(t.staleReads)} / ${number(readsOf(t))}`,
    millis(t.maxStaleWindowMs),
    c ? `${number(c.audit.stale)} / ${number(c.audit.checked)}` : 'n/a',
    c?.writeLatencyMs ? millis(c.writeLatencyMs.p50) : 'n/a',
    c?.writeLatencyMs ? millis(c.writeLatencyMs.p99) : 'n/a',
    fixed(t.dbQueriesPerRequest, 3),
    fixed(c?.redisOpsPerRequest ?? null, 2),
    `${event('fill_refused')} / ${event('invalidate_failed')}`,
    invalidatorCell(c),
  ];
}

/** Applied / retried batches / pending, lag and p99 apply delay of the outbox invalidator. */
function invalidatorCell(c: MeasuredTopology['consistency']): string {
  const i = c?.invalidator;
  if (!i) return c?.mode.startsWith('outbox') ? 'not read (see warnings)' : 'n/a';
  const p99 = i.applyDelayP99Sec === null ? 'n/a' : `≤ ${millis(i.applyDelayP99Sec * 1000)}`;
  return `${number(i.applied)} applied, ${number(i.failures)} retried, ${number(i.pending)} pending (lag ${millis(i.lagSec * 1000)}), p99 ${p99}`;
}

function table(ts: readonly MeasuredTopology[]): Table {
  return {
    header: [
      'topology',
      'consistency',
      'stale reads',
      'stale / reads',
      'longest stale window',
      'audit stale / checked',
      'write p50',
      'write p99',
      'DB q/req',
      'Redis ops/req',
      'fills refused / DELs failed',
      'invalidator',
    ],
    rows: ts.map(row),
  };
}

/** The verdicts of the section, computed from the figures. */
export function consistencyVerdict(ts: readonly MeasuredTopology[]): string {
  const withMode = ts.filter((t) => t.consistency);
  if (withMode.length === 0) return 'No consistency figures in this run.';
  const clean = withMode.filter(
    (t) => t.staleReads === 0 && (t.consistency?.audit.stale ?? 0) === 0,
  );
  const stale = withMode.filter((t) => !clean.includes(t));
  const sentences: string[] = [];
  if (stale.length > 0) {
    const worst = [...stale].sort((a, b) => b.staleReadRate - a.staleReadRate)[0];
    sentences.push(
      `Went stale: ${listProse(stale.map((t) => t.topology))}; the worst, ${worst?.topology}, served ${percent(worst?.staleReadRate, 3)} stale reads with a longest stale window of ${millis(worst?.maxStaleWindowMs)}.`,
    );
  }
  if (clean.length > 0) {
    const enough = clean.filter((t) => readsOf(t) >= GOAL_READS);
    sentences.push(
      `No stale read and no stale entry in the audit: ${listProse(clean.map((t) => t.topology))}` +
        (enough.length === clean.length
          ? ` (each over at least ${number(GOAL_READS)} reads).`
          : `; ${enough.length} of ${clean.length} ran the ${number(GOAL_READS)} reads the goal asks for: a shorter clean run shows no staleness, not its absence.`),
    );
  }
  const lagging = invalidatorSentence(withMode);
  if (lagging) sentences.push(lagging);
  sentences.push(costSentence(withMode));
  return sentences.join(' ');
}

/** Where the invalidator ended the window behind or had to retry, from its own metrics. */
function invalidatorSentence(ts: readonly MeasuredTopology[]): string | undefined {
  const read = ts.filter((t) => t.consistency?.invalidator);
  if (read.length === 0) return undefined;
  const behind = read.filter(
    (t) =>
      (t.consistency?.invalidator?.pending ?? 0) > 0 ||
      (t.consistency?.invalidator?.failures ?? 0) > 0,
  );
  if (behind.length === 0) {
    return `The outbox invalidator kept up with every write in ${listProse(read.map((t) => t.topology))}: no failed batch, nothing pending at the end.`;
  }
  return `The outbox invalidator fell behind or retried in ${listProse(behind.map((t) => t.topology))} (see the invalidator column): invalidations there took effect late, as failed batches are retried and pending rows applied after the window.`;
}

/** What the safer modes cost against `delete` on the same topology, from write p99 and Redis ops. */
function costSentence(ts: readonly MeasuredTopology[]): string {
  const parts: string[] = [];
  for (const t of ts) {
    const base = ts.find(
      (o) =>
        o.consistency?.mode === 'delete' && o.topology.split(' ')[0] === t.topology.split(' ')[0],
    );
    const mine = t.consistency;
    if (
      !base?.consistency ||
      !mine ||
      base === t ||
      !mine.writeLatencyMs ||
      !base.consistency.writeLatencyMs
    )
      continue;
    const p99 = mine.writeLatencyMs.p99 - base.consistency.writeLatencyMs.p99;
    parts.push(
      `${t.topology}: write p99 ${p99 >= 0 ? '+' : '−'}${millis(Math.abs(p99))} vs delete`,
    );
  }
  return parts.length > 0
    ? `Cost: ${parts.join('; ')}.`
    : 'Cost: run with --consistency delete,… to compare each mode with the delete baseline.';
}

/** The "How stale, and what it costs" section, when the run measured any topology. */
export function consistencySection(r: ComparisonResults): ReportTable | undefined {
  const measured = measuredOf(r);
  if (measured.length === 0) return undefined;
  return {
    id: 'consistency',
    title: 'How stale, and what it costs',
    text: consistencyVerdict(measured),
    table: table(measured),
  };
}
