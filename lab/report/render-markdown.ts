import { formatAs } from '../text/format.ts';
import type { ChartSpec } from './chart-spec.ts';
import type { ReportModel } from './report-model.ts';
import type { Table } from './report-tables.ts';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A GitHub-flavoured Markdown table. */
export function markdownTable(table: Table): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(table.header), line(table.header.map(() => '---')), ...table.rows.map(line)].join(
    '\n',
  );
}

/** A chart's data as a table: one row per label, one column per dataset (per point on a linear x). */
export function chartTable(chart: ChartSpec): Table {
  if (chart.xScale === 'linear') {
    return {
      header: ['series', chart.xTitle ?? 'x', chart.yTitle],
      rows: chart.datasets.flatMap((d) =>
        (d.points ?? []).map((p) => [
          d.label,
          formatAs('number', p.x),
          formatAs(chart.format, p.y),
        ]),
      ),
    };
  }
  return {
    header: [chart.xTitle ?? '', ...chart.datasets.map((d) => d.label)],
    rows: chart.labels.map((label, i) => [
      label,
      ...chart.datasets.map((d) => {
        const value = formatAs(chart.format, d.data[i] ?? null);
        const interval = d.intervals?.[i];
        if (!interval) return value;
        return `${value} [${formatAs(chart.format, interval[0])}–${formatAs(chart.format, interval[1])}]`;
      }),
    ]),
  };
}

function chartSection(chart: ChartSpec): string {
  return `## ${chart.title}\n\n${chart.verdict}\n\n${markdownTable(chartTable(chart))}\n`;
}

/** report.md: facts, notes, the summary, every chart as a table with its verdict, and the detail tables. */
export function renderMarkdown(model: ReportModel): string {
  const facts = model.facts.map(([k, v]) => `- **${k}**: ${v}`).join('\n');
  const notes =
    model.notes.length > 0
      ? `\n## Read first\n\n${model.notes.map((n) => `- ${n}`).join('\n')}\n`
      : '';
  const tables = model.tables.map(
    (t) => `## ${t.title}\n\n${t.text ? `${t.text}\n\n` : ''}${markdownTable(t.table)}\n`,
  );
  return [
    `# ${model.title}\n\n${facts}\n${notes}`,
    `## Summary\n\n${markdownTable(model.summary)}\n`,
    ...model.charts.map(chartSection),
    ...tables,
    'The same figures, with charts, are in report.html next to this file; the raw figures are in results.json.\n',
  ].join('\n');
}
