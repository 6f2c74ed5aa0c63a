import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ChartSpec } from './chart-spec.ts';
import { CHART_BOOT_SCRIPT, REPORT_CSS } from './html-assets.ts';
import { chartTable } from './render-markdown.ts';
import type { ReportModel } from './report-model.ts';
import type { Table } from './report-tables.ts';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON that is safe inside a <script> element (no `</script>`, no HTML comment openers). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028|\u2029/g, ' ');
}

/** The source of Chart.js's UMD bundle from node_modules, to inline (the report works offline). */
export async function chartJsSource(): Promise<string> {
  const main = createRequire(import.meta.url).resolve('chart.js');
  const source = await readFile(join(dirname(main), 'chart.umd.min.js'), 'utf8');
  return source.replace(/<\/script/gi, '<\\/script');
}

function htmlTable(table: Table): string {
  const head = table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const rows = table.rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function chartSection(chart: ChartSpec): string {
  const id = escapeHtml(chart.id);
  return `<section class="chart-section" id="section-${id}">
<h2>${escapeHtml(chart.title)}</h2>
<div class="chart"><canvas id="chart-${id}" data-chart="${id}" role="img" aria-label="${escapeHtml(chart.title)}"></canvas></div>
<p class="verdict">${escapeHtml(chart.verdict)}</p>
<details><summary>Data</summary>${htmlTable(chartTable(chart))}</details>
</section>`;
}

function header(model: ReportModel): string {
  const facts = model.facts
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join('\n');
  const notes =
    model.notes.length === 0
      ? ''
      : `<aside class="notes"><h2>Read first</h2><ul>${model.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></aside>`;
  return `<header><h1>${escapeHtml(model.title)}</h1><dl>${facts}</dl></header>\n${notes}`;
}

function tablesHtml(model: ReportModel): string {
  return model.tables
    .map(
      (t) => `<section class="table-section" id="section-${escapeHtml(t.id)}">
<h2>${escapeHtml(t.title)}</h2>${t.text ? `<p>${escapeHtml(t.text)}</p>` : ''}
${htmlTable(t.table)}
</section>`,
    )
    .join('\n');
}

/** A self-contained report.html: Chart.js, the data and the styles are inline; nothing is fetched. */
export function renderHtml(model: ReportModel, chartJs: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(model.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${header(model)}
<section id="section-summary"><h2>Summary</h2>${htmlTable(model.summary)}</section>
${model.charts.map(chartSection).join('\n')}
${tablesHtml(model)}
</main>
<script>${chartJs}</script>
<script type="application/json" id="chart-data">${scriptJson(model.charts)}</script>
<script>${CHART_BOOT_SCRIPT}</script>
</body>
</html>
`;
}
