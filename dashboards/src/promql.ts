// PromQL builders shared by the dashboards: one spelling for every rate, quantile and zero-fill.

/** Grafana's rate window: at least four scrapes (the datasource declares the 2 s scrape interval). */
export const RATE_INTERVAL = '$__rate_interval';

/** A label selector `{a, b}` from matchers (empty ones are dropped); a nested selector is a bug. */
export function sel(...matchers: string[]): string {
  const nested = matchers.find((m) => m.includes('{'));
  if (nested) throw new Error(`sel() takes matchers, not a selector: ${nested}`);
  return `{${matchers.filter((m) => m !== '').join(', ')}}`;
}

/** `op by (labels) (inner)`, or `op(inner)` when there are no labels. */
export function aggregate(op: 'sum' | 'max', by: readonly string[], inner: string): string {
  return by.length === 0 ? `${op}(${inner})` : `${op} by (${by.join(', ')}) (${inner})`;
}

/** `sum by (labels) (rate(metric{…}[$__rate_interval]))`. */
export function sumRate(by: readonly string[], metric: string, selector: string): string {
  return aggregate('sum', by, `rate(${metric}${selector}[${RATE_INTERVAL}])`);
}

/** `sum by (labels) (metric{…})` for gauges. */
export function sumGauge(by: readonly string[], metric: string, selector: string): string {
  return aggregate('sum', by, `${metric}${selector}`);
}

/** The q-quantile of a classic histogram, per `by` labels. */
export function quantile(
  q: number,
  by: readonly string[],
  histogram: string,
  selector: string,
): string {
  const buckets = sumRate(['le', ...by], `${histogram}_bucket`, selector);
  return `histogram_quantile(${q}, ${buckets})`;
}

/**
 * `expr`, or 0 for each `on` group where `expr` has no series: counters that only appear on their first
 * event (errors, evictions) then show 0 instead of "No data". `base` must exist for every group.
 */
export function zeroFill(expr: string, on: readonly string[], base: string): string {
  return `(${expr}) or on (${on.join(', ')}) (0 * ${base})`;
}

/** `(num) / (den)`. */
export function ratio(num: string, den: string): string {
  return `(${num}) / (${den})`;
}
