// A minimal client of the Prometheus HTTP API (instant queries, label values) for the lab and its tests.

/** One series of an instant vector result: its labels and [unix seconds, value as text]. */
export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** The answer to an instant query. */
export interface QueryAnswer {
  status: 'success' | 'error';
  resultType?: string;
  /** Vector results (scalars come back as one unlabelled sample). */
  result: VectorSample[];
  error?: string;
}

interface RawAnswer {
  status: 'success' | 'error';
  data?: { resultType: string; result: unknown };
  error?: string;
}

const TIMEOUT_MS = 10_000;

function normalise(raw: RawAnswer): QueryAnswer {
  const data = raw.data;
  if (!data) return { status: raw.status, result: [], error: raw.error };
  const result =
    data.resultType === 'scalar'
      ? [{ metric: {}, value: data.result as [number, string] }]
      : (data.result as VectorSample[]);
  return { status: raw.status, resultType: data.resultType, result, error: raw.error };
}

/** Evaluates `expr` at `time` (unix seconds; default now). A PromQL error comes back as status 'error'. */
export async function instantQuery(
  prometheusUrl: string,
  expr: string,
  time?: number,
): Promise<QueryAnswer> {
  const body = new URLSearchParams({ query: expr });
  if (time !== undefined) body.set('time', String(time));
  const res = await fetch(`${prometheusUrl}/api/v1/query`, {
    method: 'POST',
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const raw = (await res.json()) as RawAnswer;
  if (res.status !== 200 && res.status !== 400 && res.status !== 422) {
    throw new Error(`Prometheus query answered HTTP ${res.status}: ${raw.error ?? ''}`);
  }
  return normalise(raw);
}

/** The values of `label` on series matching `match` (what Grafana's label_values(match, label) offers). */
export async function labelValues(
  prometheusUrl: string,
  label: string,
  match?: string,
): Promise<string[]> {
  const query = match ? `?${new URLSearchParams({ 'match[]': match })}` : '';
  const res = await fetch(`${prometheusUrl}/api/v1/label/${label}/values${query}`, {
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const raw = (await res.json()) as { status: string; data?: string[]; error?: string };
  if (raw.status !== 'success')
    throw new Error(`label values of ${label}: ${raw.error ?? res.status}`);
  return raw.data ?? [];
}

/** True when at least one sample of the answer is a finite number (not NaN, not ±Inf). */
export function hasFiniteSample(answer: QueryAnswer): boolean {
  return answer.result.some((s) => Number.isFinite(Number(s.value[1])));
}
