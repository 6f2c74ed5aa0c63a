import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChartSpec } from '../report/chart-spec.ts';
import { chartJsSource, renderHtml } from '../report/render-html.ts';
import { renderMarkdown } from '../report/render-markdown.ts';
import type { ReportModel } from '../report/report-model.ts';
import type { Table } from '../report/report-tables.ts';
import type { PlanResults } from './plan-command.ts';
import { FLEET_TIERS } from './plan-model.ts';

/** One row per topology and fleet size: hit ratio, cores per tier, Redis nodes, DB queries/s. */
export function planTable(p: PlanResults): Table {
  return {
    header: [
      'topology',
      'servers',
      'hit ratio',
      ...FLEET_TIERS.map((t) => `${t} cores`),
      'total cores',
      'Redis nodes',
      'DB queries/s',
    ],
    rows: p.plans.map((x) => [
      x.topology,
      String(x.servers),
      `${(x.hitRatio * 100).toFixed(1)}%`,
      ...FLEET_TIERS.map((t) => x.cores[t].toFixed(1)),
      x.totalCores.toFixed(0),
      String(x.redisNodes),
      x.dbQueriesPerSec.toFixed(0),
    ]),
  };
}

function coresChart(p: PlanResults, servers: number): ChartSpec {
  const at = p.plans.filter((x) => x.servers === servers);
  const cheapest = [...at].sort((a, b) => a.totalCores - b.totalCores)[0];
  return {
    id: `plan-cores-${servers}`,
    title: `Cores per tier for ${p.targetRps} req/s with ${servers} app servers (extrapolated)`,
    kind: 'bar',
    labels: at.map((x) => x.topology),
    datasets: FLEET_TIERS.filter((t) => at.some((x) => x.cores[t] > 0)).map((t) => ({
      label: t,
      data: at.map((x) => Number(x.cores[t].toFixed(2))),
    })),
    yTitle: 'cores',
    yScale: 'linear',
    format: 'number',
    stacked: true,
    verdict: cheapest
      ? `${cheapest.topology} needs the fewest cores: ${cheapest.totalCores.toFixed(0)}, with ${cheapest.dbQueriesPerSec.toFixed(0)} database queries/s. An extrapolation: see the assumptions.`
      : 'Nothing to plan.',
  };
}

/** The plan report's content. */
export function planReportModel(p: PlanResults): ReportModel {
  return {
    title: `cachelab plan — ${p.targetRps} req/s (extrapolated from run ${p.sourceRunId})`,
    facts: [
      ['source', p.source],
      ['target', `${p.targetRps} req/s; app servers ${p.servers.join(', ')}`],
      [
        'simulation',
        `${p.simulation.workload}, ${p.simulation.keyCount} keys, L1 ${p.simulation.cacheEntries} entries per server, shared ${p.simulation.globalEntries}`,
      ],
    ],
    notes: [
      `This is an extrapolation, not a measurement. It assumes: ${p.assumptions.join(' ')}`,
      ...p.skipped,
    ],
    summary: planTable(p),
    charts: p.servers.map((n) => coresChart(p, n)),
    tables: [],
  };
}

/** Writes report.md and report.html of a plan into `dir`. */
export async function writePlanReport(dir: string, p: PlanResults) {
  const model = planReportModel(p);
  const markdownPath = join(dir, 'report.md');
  const htmlPath = join(dir, 'report.html');
  await writeFile(markdownPath, renderMarkdown(model));
  await writeFile(htmlPath, renderHtml(model, await chartJsSource()));
  return { markdownPath, htmlPath };
}
