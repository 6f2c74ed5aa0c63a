import type { MeasuredTopology } from './results-types.ts';

/** One series of a chart; null is a gap (the topology has no such figure). */
export interface ChartDataset {
  label: string;
  data: (number | null)[];
  /** Per point, the 95 % interval drawn as an error bar (null: none, e.g. a single run). */
  intervals?: ([number, number] | null)[];
  /** On a chart with a linear x axis, the series as (x, y) points instead of `data`. */
  points?: { x: number; y: number }[];
}

/** A chart as plain data: rendered by Chart.js in report.html and as a table in report.md. */
export interface ChartSpec {
  id: string;
  title: string;
  kind: 'bar' | 'line';
  labels: string[];
  datasets: ChartDataset[];
  yTitle: string;
  xTitle?: string;
  /** 'linear': x is a number (datasets give `points`); default: one category per label. */
  xScale?: 'linear';
  yScale: 'linear' | 'logarithmic';
  /** How values are shown: ratios as percentages, durations in ms, anything else as numbers. */
  format: 'number' | 'percent' | 'ms';
  stacked: boolean;
  /** A sentence or two computed from the data shown. */
  verdict: string;
}

/** Per topology, the interval of a figure measured with repeats (null for a single run). */
export function intervalsOf(
  ts: readonly MeasuredTopology[],
  key: string,
): ([number, number] | null)[] {
  return ts.map((t) => {
    const r = t.repeat?.figures[key];
    return r ? [r.low, r.high] : null;
  });
}

/** The medians of a repeated figure where there are repeats, the single value otherwise. */
export function mediansOf(
  ts: readonly MeasuredTopology[],
  key: string,
  single: (t: MeasuredTopology) => number | null,
): (number | null)[] {
  return ts.map((t) => t.repeat?.figures[key]?.median ?? single(t));
}

/** Marks a topology whose run was invalid (the load generator could not keep up). */
export const INVALID_MARK = '†';

/** The label of a measured topology on a chart: its name, † when the run was invalid. */
export function labelOf(t: MeasuredTopology): string {
  return t.valid ? t.topology : `${t.topology}${INVALID_MARK}`;
}

/** A footnote for charts that show invalid runs (empty when every run is valid). */
export function invalidCaveat(shown: readonly MeasuredTopology[]): string {
  const invalid = shown.filter((t) => !t.valid).map((t) => t.topology);
  if (invalid.length === 0) return '';
  return ` ${INVALID_MARK} ${invalid.join(', ')}: the load generator could not keep up (invalid run), so these figures are indicative only.`;
}
