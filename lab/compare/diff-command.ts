import { formatTable } from '../text/table.ts';
import { type DiffReport, diffResults, diffTableRows } from './diff-results.ts';
import { readResults, resolveRunRef } from './results-store.ts';

/** What `cachelab diff` compares and how it reports. */
export interface DiffOptions {
  /** Run ids under `resultsDir`, `latest`, run folders, or results.json paths. */
  runA: string;
  runB: string;
  /** Where run ids are looked up (default results). */
  resultsDir?: string;
  /** Show only the metrics that got better or worse. */
  changedOnly?: boolean;
  /** Exit status 1 when anything regressed. */
  failOnRegression?: boolean;
}

/** The diff as text: the table, then notes and the regression count. */
export function formatDiff(report: DiffReport, changedOnly = false): string {
  const notes = report.notes.map((n) => `  ${n}\n`).join('');
  const changed = report.rows.some((r) => r.change === 'regression' || r.change === 'improvement');
  const noRegression = changed
    ? 'no regression\n'
    : 'no regression: every difference is within noise\n';
  const verdict =
    report.regressions === 0
      ? noRegression
      : `${report.regressions} regression(s) from ${report.a} to ${report.b}\n`;
  const legend =
    'A change is flagged only when the two intervals are disjoint: the repeats’ median interval, ' +
    'or for a single run its noise model (±20 % p50, ±30 % p99, ±50 % p99.9, ±3 % throughput, ' +
    'Wilson 95 % for ratios, at least ±3 points for hit ratios).\n';
  return `${formatTable(diffTableRows(report, changedOnly))}${notes}${legend}${verdict}`;
}

/**
 * `cachelab diff <run-a> <run-b>`: per topology and metric, what changed (absolute and %), with
 * regressions flagged. Sets process.exitCode = 1 on a regression with failOnRegression.
 */
export async function diffCommand(
  options: DiffOptions,
  print: (text: string) => void = (t) => process.stdout.write(t),
): Promise<DiffReport> {
  const dir = options.resultsDir ?? 'results';
  const [a, b] = await Promise.all([
    resolveRunRef(options.runA, dir).then(readResults),
    resolveRunRef(options.runB, dir).then(readResults),
  ]);
  const report = diffResults(a, b);
  print(formatDiff(report, options.changedOnly ?? false));
  if (options.failOnRegression && report.regressions > 0) process.exitCode = 1;
  return report;
}
