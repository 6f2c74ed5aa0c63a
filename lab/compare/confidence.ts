/** A figure summarised over repeated runs: the median and a distribution-free interval around it. */
export interface MedianInterval {
  median: number;
  low: number;
  high: number;
  /** Runs summarised. */
  n: number;
  /** The interval's actual coverage of the true median (≥ the asked level once n ≥ 6). */
  coverage: number;
}

/** The confidence level the lab asks of its intervals. */
export const DEFAULT_CONFIDENCE = 0.95;

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? upper) + upper) / 2;
}

/** P(X ≤ k) for X ~ Binomial(n, 1/2). */
function binomialHalfCdf(n: number, k: number): number {
  let term = 0.5 ** n;
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term *= (n - i + 1) / i;
    sum += term;
  }
  return sum;
}

/**
 * The median of `values` with the order-statistic interval [x(k), x(n+1−k)]: the widest k whose
 * coverage 1 − 2·P(Binomial(n, ½) ≤ k − 1) still reaches `confidence` (no resampling, no
 * distribution assumed). Below 6 runs no k reaches 95 %: the interval is then the range, and
 * `coverage` says what it really covers (75 % for 3 runs, 94 % for 5).
 */
export function medianInterval(
  values: readonly number[],
  confidence: number = DEFAULT_CONFIDENCE,
): MedianInterval {
  if (values.length === 0) throw new RangeError('medianInterval needs at least one value');
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError('values must be finite');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence must be in (0, 1)');
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  let k = 1;
  while (k + 1 <= n / 2 && 1 - 2 * binomialHalfCdf(n, k) >= confidence) k++;
  const coverage = n === 1 ? 0 : 1 - 2 * binomialHalfCdf(n, k - 1);
  return {
    median: median(sorted),
    low: sorted[k - 1] ?? Number.NaN,
    high: sorted[n - k] ?? Number.NaN,
    n,
    coverage,
  };
}

/**
 * Runs `run` n times one after the other (never concurrently: the runs share the machine) and
 * returns the results in order; `cachelab compare --repeat` and `cachelab capacity` use it.
 */
export async function repeatRuns<T>(n: number, run: (index: number) => Promise<T>): Promise<T[]> {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`repeat must be ≥ 1, got ${n}`);
  const results: T[] = [];
  for (let i = 0; i < n; i++) results.push(await run(i));
  return results;
}

/** Summarises each named figure over runs (a run without the figure, null, is left out). */
export function summariseRuns<T>(
  runs: readonly T[],
  figures: Readonly<Record<string, (run: T) => number | null>>,
  confidence: number = DEFAULT_CONFIDENCE,
): Record<string, MedianInterval> {
  const out: Record<string, MedianInterval> = {};
  for (const [name, get] of Object.entries(figures)) {
    const values = runs.map(get).filter((v): v is number => v !== null && Number.isFinite(v));
    if (values.length > 0) out[name] = medianInterval(values, confidence);
  }
  return out;
}
