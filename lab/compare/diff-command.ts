import { parseArgs } from 'node:util';
import { formatTable } from '../cli/output.ts';
import { CompareError } from './compare-error.ts';
import { type DiffReport, diffResults, diffTableRows } from './diff.ts';
import { readResults, resolveRunRef } from './results-store.ts';

/** Usage of `cachelab diff`. */
export const DIFF_USAGE = `Usage: cachelab diff <run-a> <run-b> [options]
  <run-a> <run-b>        run ids under the results folder, \`latest\`, run folders, or results.json paths
  --results-dir <dir>    where run ids are looked up (default results)
  --changed-only         show only the metrics that got better or worse
  --fail-on-regression   exit with status 1 when anything regressed`;

const OPTIONS = {
  'results-dir': { type: 'string' },
  'changed-only': { type: 'boolean' },
  'fail-on-regression': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CompareError('USAGE', `${message}\n${DIFF_USAGE}`, { cause: error });
  }
}

/** The diff as text: the table, then notes and the regression count. */
export function formatDiff(report: DiffReport, changedOnly = false): string {
  const notes = report.notes.map((n) => `  ${n}\n`).join('');
  const verdict =
    report.regressions === 0
      ? 'no regression\n'
      : `${report.regressions} regression(s) from ${report.a} to ${report.b}\n`;
  return `${formatTable(diffTableRows(report, changedOnly))}${notes}${verdict}`;
}

/**
 * `cachelab diff <run-a> <run-b>`: per topology and metric, what changed (absolute and %), with
 * regressions flagged. Sets process.exitCode = 1 on a regression with --fail-on-regression.
 */
export async function runDiffCommand(
  args: readonly string[],
  print: (text: string) => void = (t) => process.stdout.write(t),
): Promise<DiffReport | null> {
  const { values, positionals } = parse(args);
  if (values.help) {
    print(`${DIFF_USAGE}\n`);
    return null;
  }
  if (positionals.length !== 2) {
    throw new CompareError(
      'USAGE',
      `diff needs exactly two runs, got ${positionals.length}\n${DIFF_USAGE}`,
    );
  }
  const dir = values['results-dir'] ?? 'results';
  const [refA, refB] = positionals as [string, string];
  const [a, b] = await Promise.all([
    resolveRunRef(refA, dir).then(readResults),
    resolveRunRef(refB, dir).then(readResults),
  ]);
  const report = diffResults(a, b);
  print(formatDiff(report, values['changed-only'] ?? false));
  if (values['fail-on-regression'] && report.regressions > 0) process.exitCode = 1;
  return report;
}
