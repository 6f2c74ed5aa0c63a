import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CostTier } from '../measure/cost/component-cost.ts';
import { COST_TIERS } from '../measure/cost/component-cost.ts';
import type { ChartSpec } from '../report/chart-spec.ts';
import { chartJsSource, renderHtml } from '../report/render-html.ts';
import { renderMarkdown } from '../report/render-markdown.ts';
import type { ReportModel } from '../report/report-model.ts';
import type { Table } from '../report/report-tables.ts';
import type { CapacityResults } from './capacity-schema.ts';
import type { CapacityStep } from './capacity-step.ts';

type Searched = Extract<CapacityResults['topologies'][number], { status: 'ok' }>;

const searchedOf = (r: CapacityResults): Searched[] =>
  r.topologies.filter((t): t is Searched => t.status === 'ok');

const fixed = (n: number | null | undefined, digits = 0): string =>
  n === null || n === undefined ? '–' : n.toFixed(digits);

/** The step a topology sustained at its capacity (the highest rate that met the SLO). */
export function stepAtCapacity(t: Searched): CapacityStep | undefined {
  return t.steps.find((s) => s.ok && s.rate === t.maxSustainableRps);
}

/** Capacity as shown: the median with its interval and run count when the search was repeated. */
function capacityCell(t: Searched, startRps: number): string {
  const ci = t.repeat?.figures.maxSustainableRps;
  if (ci && t.repeat) {
    return `${fixed(ci.median)} [${fixed(ci.low)}–${fixed(ci.high)}] (${t.repeat.measured} runs, ${fixed(ci.coverage * 100)} % interval)`;
  }
  if (t.maxSustainableRps !== null) return fixed(t.maxSustainableRps);
  const lowest = Math.min(startRps, ...t.steps.map((s) => s.rate));
  return t.repeat ? `< ${lowest} (in all ${t.repeat.measured} runs)` : `< ${lowest}`;
}

/** One row per topology: capacity, latency there, the USL's σ and κ, why the search stopped. */
export function capacityTable(r: CapacityResults): Table {
  const rows = r.topologies.map((t) => {
    if (t.status === 'failed')
      return [t.topology, 'failed', '–', '–', '–', '–', '–', `${t.phase}: ${t.error}`];
    const at = stepAtCapacity(t);
    const usl = t.usl;
    return [
      t.topology,
      capacityCell(t, r.parameters.plan.startRps),
      at ? `${fixed(at.latencyMs.p50, 2)} / ${fixed(at.latencyMs.p99, 1)} ms` : '–',
      at?.cost ? fixed(at.cost.totalCpuUsPerRequest) : '–',
      usl ? usl.sigma.toFixed(4) : '–',
      usl ? usl.kappa.toExponential(2) : '–',
      usl?.peakConcurrency ? fixed(usl.peakConcurrency, 1) : '–',
      t.stoppedBecause,
    ];
  });
  return {
    header: [
      'topology',
      'max req/s under SLO',
      'p50 / p99 there',
      'CPU µs/req there',
      'USL σ',
      'USL κ',
      'USL N*',
      'search',
    ],
    rows,
  };
}

function curveChart(ts: Searched[], key: 'p50' | 'p99'): ChartSpec {
  const datasets = ts.map((t) => ({
    label: t.topology,
    data: [],
    points: [...t.steps]
      .filter((s) => s.latencyMs.count > 0)
      .sort((a, b) => a.rate - b.rate)
      .map((s) => ({ x: Math.round(s.throughputRps), y: s.latencyMs[key] })),
  }));
  return {
    id: `capacity-${key}`,
    title: `Latency ${key} against throughput`,
    kind: 'line',
    labels: [],
    datasets,
    xTitle: 'throughput (responses/s)',
    xScale: 'linear',
    yTitle: `${key} latency (ms, from each request's scheduled start)`,
    yScale: 'linear',
    format: 'ms',
    stacked: false,
    verdict:
      'Each point is one step of the search at a fixed offered rate. Latency stays flat while the ' +
      'system has spare capacity and turns up sharply near its limit: the knee of the curve.',
  };
}

function capacityChart(ts: Searched[], sloText: string): ChartSpec {
  const capacity = (t: Searched): number | null =>
    t.repeat?.figures.maxSustainableRps?.median ?? t.maxSustainableRps;
  const best = [...ts].sort((a, b) => (capacity(b) ?? 0) - (capacity(a) ?? 0))[0];
  const repeated = ts.some((t) => t.repeat);
  return {
    id: 'capacity-max',
    title: `Highest sustainable throughput under the SLO (${sloText})`,
    kind: 'bar',
    labels: ts.map((t) => t.topology),
    datasets: [
      {
        label: 'max req/s',
        data: ts.map(capacity),
        intervals: ts.map((t) => {
          const ci = t.repeat?.figures.maxSustainableRps;
          return ci ? [ci.low, ci.high] : null;
        }),
      },
    ],
    yTitle: `requests per second${repeated ? '; median of the searches, error bars = interval' : ''}`,
    yScale: 'linear',
    format: 'number',
    stacked: false,
    verdict: best
      ? `${best.topology} carries the most load under the SLO: ${fixed(capacity(best))} req/s.`
      : 'No topology was searched.',
  };
}

function tierAt(t: Searched, tier: CostTier): number | null {
  return stepAtCapacity(t)?.cost?.tiers.find((x) => x.tier === tier)?.cpuUsPerRequest ?? null;
}

function cpuChart(ts: Searched[]): ChartSpec | undefined {
  const costed = ts.filter((t) => stepAtCapacity(t)?.cost);
  if (costed.length === 0) return undefined;
  return {
    id: 'capacity-cpu',
    title: 'Where the CPU goes at capacity: CPU µs per request by component',
    kind: 'bar',
    labels: costed.map((t) => t.topology),
    datasets: COST_TIERS.filter((tier) => costed.some((t) => tierAt(t, tier) !== null)).map(
      (tier) => ({
        label: tier,
        data: costed.map((t) => tierAt(t, tier)),
      }),
    ),
    yTitle: 'CPU µs per request (user + system)',
    yScale: 'linear',
    format: 'number',
    stacked: true,
    verdict: "Measured at each topology's highest sustainable step, from /proc per process tree.",
  };
}

/** The capacity report's content. */
export function capacityReportModel(r: CapacityResults): ReportModel {
  const ts = searchedOf(r);
  const p = r.parameters;
  const charts = [capacityChart(ts, p.sloText), curveChart(ts, 'p99'), curveChart(ts, 'p50')];
  const cpu = cpuChart(ts);
  if (cpu) charts.push(cpu);
  return {
    title: `cachelab capacity — ${p.workload}, SLO ${p.sloText}`,
    facts: [
      ['run', `${r.runId} (${r.createdAt}, ${fixed(r.elapsedSec)} s)`],
      ['SLO', `${p.sloText}, and a valid run (the generator kept its schedule)`],
      [
        'steps',
        `${p.stepWarmupSec} s lead-in + ${p.stepSec} s measured; from ${p.plan.startRps} req/s ×${p.plan.growth}, then bisection to ${p.plan.resolution * 100}%, at most ${p.plan.maxSteps} steps, cap ${p.plan.maxRps} req/s`,
      ],
      ['network', p.network],
      [
        'machine',
        `${r.machine.cores} cores, ${r.machine.cpuModel}; node ${r.node}; driver ${p.driver}; load average ${r.loadAverage.before.toFixed(1)} → ${r.loadAverage.after.toFixed(1)}`,
      ],
    ],
    notes: r.topologies.flatMap((t) =>
      t.status === 'failed' ? [`${t.topology} failed (${t.phase}): ${t.error}`] : [],
    ),
    summary: capacityTable(r),
    charts,
    tables: [],
  };
}

/** Writes report.md and report.html of a capacity run into `dir`. */
export async function writeCapacityReport(dir: string, r: CapacityResults) {
  const model = capacityReportModel(r);
  const markdownPath = join(dir, 'report.md');
  const htmlPath = join(dir, 'report.html');
  await writeFile(markdownPath, renderMarkdown(model));
  await writeFile(htmlPath, renderHtml(model, await chartJsSource()));
  return { markdownPath, htmlPath };
}
