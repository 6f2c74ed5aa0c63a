import { markdownTable } from '../../report/render-markdown.ts';
import type { ScenarioResults, ScenarioRunRecord } from '../../report/scenario-results-schema.ts';
import {
  busPartitionTable,
  crossTopologyTable,
  eventsTable,
  notRunTable,
} from './scenario-tables.ts';

/** A per-second text timeline of one run (every second, actions marked with ▲). */
function timelineText(r: ScenarioRunRecord): string {
  const marks = new Map<number, string[]>();
  for (const e of r.events) {
    const t = Math.floor(e.startedSec);
    marks.set(t, [
      ...(marks.get(t) ?? []),
      e.phase === 'rollback' ? `rollback ${e.description}` : e.description,
    ]);
  }
  const lines = r.series.map((s) => {
    const failed = s.errors.http5xx + s.errors.timeout + s.errors.connection + s.errors.other;
    const hit = s.hitRatio === null ? '  n/a' : `${(s.hitRatio * 100).toFixed(0).padStart(4)}%`;
    const db = s.dbQps === null ? ' n/a' : String(s.dbQps).padStart(4);
    const mark =
      marks
        .get(s.t)
        ?.map((m) => ` ▲ ${m}`)
        .join('') ?? '';
    return `${String(s.t).padStart(3)}s ok ${String(s.ok).padStart(4)} failed ${String(failed).padStart(4)} p99 ${s.p99Ms.toFixed(1).padStart(7)} ms hit ${hit} db ${db}/s ${s.holds ? ' ' : '✗'}${mark}`;
  });
  return ['```', ...lines, '```'].join('\n');
}

function retriedLine(n: number): string {
  return `${n} read${n === 1 ? '' : 's'} sent again on a fresh connection: the server closed the reused keep-alive connection before any response byte (counted as answered, timed from the first start)`;
}

function busSection(r: ScenarioRunRecord): string[] {
  const table = busPartitionTable(r.figures?.busPartition);
  return table ? [markdownTable(table), ''] : [];
}

function runSection(r: ScenarioRunRecord): string {
  return [
    `### ${r.scenario} on ${r.topology} (${r.driver})`,
    '',
    `**Verdict:** ${r.verdict}`,
    '',
    ...Object.entries(r.errorSamples).map(([cls, msg]) => `- first ${cls}: \`${msg}\``),
    ...(r.requestsRetried > 0 ? [`- ${retriedLine(r.requestsRetried)}`] : []),
    '',
    markdownTable(eventsTable(r)),
    '',
    ...busSection(r),
    timelineText(r),
    '',
  ].join('\n');
}

/** The "What happens when…" section as Markdown: the table across topologies, then every run. */
export function renderScenarioMarkdown(results: ScenarioResults): string {
  const questions = [...new Map(results.runs.map((r) => [r.scenario, r.question])).entries()];
  return [
    '# What happens when…',
    '',
    `${results.runs.length} runs in ${results.wallSec.toFixed(0)} s on ${results.machine.cores} cores (${results.machine.cpuModel}), started ${results.startedAt}.`,
    'The steady-state hypothesis comes from each run’s own baseline (the seconds after warm-up, before the first action): errors ≤ 0.1 % per second, p99 ≤ 2× the baseline p99 (never below 10 ms; each second’s p99 is the median of it and its neighbours), hit ratio ≥ 0.9× the baseline. Detect = first second outside it after the first action; recover = start of 5 consecutive seconds back inside it.',
    '',
    ...questions.map(([name, q]) => `- **${name}**: ${q}`),
    '',
    '## Across topologies',
    '',
    markdownTable(crossTopologyTable(results)),
    '',
    ...(results.notRun.length > 0
      ? ['## Not run', '', markdownTable(notRunTable(results)), '']
      : []),
    '## Every run',
    '',
    ...results.runs.map(runSection),
  ].join('\n');
}
