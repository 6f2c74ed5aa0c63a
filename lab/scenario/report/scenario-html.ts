import { REPORT_CSS } from '../../report/html-assets.ts';
import { escapeHtml, scriptJson } from '../../report/render-html.ts';
import type { Table } from '../../report/report-tables.ts';
import type { ScenarioResults, ScenarioRunRecord } from '../../report/scenario-results-schema.ts';
import { failedIn } from '../hypothesis.ts';
import {
  busPartitionTable,
  crossTopologyTable,
  eventsTable,
  notRunTable,
} from './scenario-tables.ts';

/** The data of one timeline chart: per-second series and the seconds where actions ran. */
export interface TimelineChart {
  id: string;
  labels: number[];
  p99Ms: number[];
  failedPerSec: number[];
  hitRatioPct: (number | null)[];
  dbQps: (number | null)[];
  marks: { t: number; label: string; rollback: boolean }[];
}

/** The chart of one run (the HTML draws it with Chart.js; the Markdown prints the same series). */
export function timelineChart(r: ScenarioRunRecord, index: number): TimelineChart {
  return {
    id: `run-${index}`,
    labels: r.series.map((s) => s.t),
    p99Ms: r.series.map((s) => Number(s.p99Ms.toFixed(2))),
    failedPerSec: r.series.map(failedIn),
    hitRatioPct: r.series.map((s) =>
      s.hitRatio === null ? null : Number((s.hitRatio * 100).toFixed(1)),
    ),
    dbQps: r.series.map((s) => s.dbQps),
    marks: r.events.map((e) => ({
      t: Number(e.startedSec.toFixed(2)),
      label: e.phase === 'rollback' ? `rollback: ${e.description}` : e.description,
      rollback: e.phase === 'rollback',
    })),
  };
}

function htmlTable(table: Table): string {
  const head = table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const rows = table.rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function runSection(r: ScenarioRunRecord, index: number): string {
  const busTable = busPartitionTable(r.figures?.busPartition);
  return `<section class="chart-section" id="run-${index}">
<h3>${escapeHtml(`${r.scenario} on ${r.topology} (${r.driver})`)}</h3>
<p>${escapeHtml(r.question)}</p>
<div class="chart"><canvas data-timeline="run-${index}" role="img" aria-label="${escapeHtml(`timeline of ${r.scenario} on ${r.topology}`)}"></canvas></div>
<p class="verdict">${escapeHtml(r.verdict)}</p>
<details><summary>Actions and rollbacks</summary>${htmlTable(eventsTable(r))}</details>
${busTable === undefined ? '' : htmlTable(busTable)}
</section>`;
}

// Draws each timeline: p99 and failures on the left axis, hit ratio % and DB q/s on the right, and a
// vertical line with a label at each action (dashed for rollbacks).
const BOOT = `
const charts = JSON.parse(document.getElementById('timeline-data').textContent);
const marker = { id: 'marks', afterDraw(chart) {
  const { ctx, chartArea: a, scales: { x } } = chart;
  for (const m of chart.config.options.plugins.marks.list) {
    const px = x.getPixelForValue(m.t);
    ctx.save(); ctx.strokeStyle = m.rollback ? '#8250df' : '#cf222e'; ctx.setLineDash(m.rollback ? [4, 4] : []);
    ctx.beginPath(); ctx.moveTo(px, a.top); ctx.lineTo(px, a.bottom); ctx.stroke();
    ctx.fillStyle = ctx.strokeStyle; ctx.font = '11px system-ui'; ctx.fillText(m.label, px + 3, a.top + 12 + 12 * (chart.config.options.plugins.marks.list.indexOf(m) % 3));
    ctx.restore();
  } } };
for (const c of charts) {
  const canvas = document.querySelector('[data-timeline="' + c.id + '"]');
  const xy = (ys) => c.labels.map((t, i) => ({ x: t + 0.5, y: ys[i] }));
  new Chart(canvas, { type: 'line', plugins: [marker], data: { datasets: [
    { label: 'p99 ms', data: xy(c.p99Ms), yAxisID: 'ms', borderColor: '#0969da' },
    { label: 'failed /s', data: xy(c.failedPerSec), yAxisID: 'ms', borderColor: '#cf222e' },
    { label: 'hit ratio %', data: xy(c.hitRatioPct), yAxisID: 'right', borderColor: '#1a7f37' },
    { label: 'DB queries /s', data: xy(c.dbQps), yAxisID: 'right', borderColor: '#9a6700' } ] },
    options: { animation: false, parsing: false, plugins: { marks: { list: c.marks } },
      scales: { x: { type: 'linear', title: { display: true, text: 'seconds since the load started' } },
        ms: { position: 'left', beginAtZero: true, title: { display: true, text: 'ms / failures' } },
        right: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: '% / queries' } } } } });
}`;

/** A self-contained HTML page of the "What happens when…" section (Chart.js inline, no fetches). */
export function renderScenarioHtml(results: ScenarioResults, chartJs: string): string {
  const charts = results.runs.map(timelineChart);
  const notRun =
    results.notRun.length === 0 ? '' : `<h2>Not run</h2>${htmlTable(notRunTable(results))}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>What happens when…</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header><h1>What happens when…</h1>
<p>${escapeHtml(`${results.runs.length} runs in ${results.wallSec.toFixed(0)} s on ${results.machine.cores} cores, started ${results.startedAt}. Verdicts are computed from each run's own baseline.`)}</p></header>
<section id="section-across"><h2>Across topologies</h2>${htmlTable(crossTopologyTable(results))}</section>
${notRun}
${results.runs.map(runSection).join('\n')}
</main>
<script>${chartJs}</script>
<script type="application/json" id="timeline-data">${scriptJson(charts)}</script>
<script>${BOOT}</script>
</body>
</html>
`;
}
