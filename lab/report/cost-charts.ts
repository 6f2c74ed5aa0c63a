import { COST_TIERS, type CostTier } from '../measure/cost/component-cost.ts';
import { type ChartSpec, labelOf } from './chart-spec.ts';
import type { MeasuredTopology } from './results-types.ts';

const fmt = (us: number): string => (us >= 100 ? us.toFixed(0) : us.toFixed(1));

function tierUs(t: MeasuredTopology, tier: CostTier): number | null {
  const found = t.cost?.tiers.find((x) => x.tier === tier);
  return found ? found.cpuUsPerRequest : null;
}

/** A verdict naming the cheapest and the dearest topology per request and where each spends most. */
export function costVerdict(ts: readonly MeasuredTopology[]): string {
  const costed = ts.filter((t) => t.cost && t.cost.requests > 0);
  if (costed.length === 0) return 'No CPU was measured.';
  const total = (t: MeasuredTopology) => t.cost?.totalCpuUsPerRequest ?? 0;
  const sorted = [...costed].sort((a, b) => total(a) - total(b));
  const top = (t: MeasuredTopology) => {
    const tiers = [...(t.cost?.tiers ?? [])].sort((a, b) => b.cpuUsPerRequest - a.cpuUsPerRequest);
    const first = tiers[0];
    return first ? `${first.tier} ${fmt(first.cpuUsPerRequest)} µs` : 'nothing';
  };
  const cheap = sorted[0] as MeasuredTopology;
  const dear = sorted.at(-1) as MeasuredTopology;
  const ratio = total(cheap) > 0 ? total(dear) / total(cheap) : 0;
  return (
    `${cheap.topology} costs the least CPU per request (${fmt(total(cheap))} µs in all, most in ${top(cheap)}); ` +
    `${dear.topology} the most (${fmt(total(dear))} µs, ${ratio.toFixed(1)}×, most in ${top(dear)}). ` +
    'CPU is user + system time of every process of each component over the measured window, ' +
    'the load generator included, divided by the requests it completed.'
  );
}

/** The stacked "where the CPU goes" chart: µs of CPU per request, one stack per topology. */
export function costChart(ts: readonly MeasuredTopology[]): ChartSpec | undefined {
  const costed = ts.filter((t) => t.cost && t.cost.requests > 0);
  if (costed.length === 0) return undefined;
  const datasets = COST_TIERS.filter((tier) => costed.some((t) => tierUs(t, tier) !== null)).map(
    (tier) => ({ label: tier, data: costed.map((t) => tierUs(t, tier)) }),
  );
  return {
    id: 'cpu-per-request',
    title: 'Where the CPU goes: CPU time per request, by component',
    kind: 'bar',
    labels: costed.map(labelOf),
    datasets,
    yTitle: 'CPU µs per request (user + system)',
    yScale: 'linear',
    format: 'number',
    stacked: true,
    verdict: costVerdict(costed),
  };
}
