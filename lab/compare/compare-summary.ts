import { summaryTable } from '../report/report-tables.ts';
import { type ComparisonResults, failedOf, measuredOf } from '../report/results-types.ts';
import { formatTable } from '../text/table.ts';

/** The summary table for the terminal, then one line per invalid, failed or warned topology. */
export function formatSummary(results: ComparisonResults): string {
  const table = summaryTable(results);
  const notes = [
    ...measuredOf(results)
      .filter((t) => !t.valid)
      .map((t) => `  ${t.topology}: invalid run: ${t.invalidReasons.join('; ')}`),
    ...failedOf(results).map((t) => `  ${t.topology}: failed in ${t.phase}: ${t.error}`),
    ...measuredOf(results).flatMap((t) => t.warnings.map((w) => `  ${t.topology}: ${w}`)),
  ];
  const tail = notes.length > 0 ? `${notes.join('\n')}\n` : '';
  return `${formatTable([table.header, ...table.rows])}${tail}`;
}
