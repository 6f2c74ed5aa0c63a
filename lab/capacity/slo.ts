import { parseDurationSeconds, parseShare } from '../text/units.ts';
/** Latency percentiles an SLO may bound. */
export const SLO_PERCENTILES = ['p50', 'p90', 'p95', 'p99', 'p999'] as const;

/** One bounded percentile. */
export type SloPercentile = (typeof SLO_PERCENTILES)[number];

/** A service-level objective: latency percentiles at most so many ms, errors at most a share. */
export interface Slo {
  latencyMs: Partial<Record<SloPercentile, number>>;
  /** Largest share of failed requests (0..1). */
  errorRate: number;
}

/** The default SLO: p99 ≤ 50 ms and at most 0.1 % errors. */
export const DEFAULT_SLO: Slo = { latencyMs: { p99: 50 }, errorRate: 0.001 };

/** A bad --slo value; the message says what was expected. */
export class SloSyntaxError extends Error {
  override name = 'SloSyntaxError';
}

function duration(text: string, key: string): number {
  const n = (parseDurationSeconds(text, 'ms') ?? Number.NaN) * 1000;
  if (!(n > 0))
    throw new SloSyntaxError(`${key} wants a duration like 50ms or 0.2s, got '${text}'`);
  return n;
}

function share(text: string): number {
  const n = parseShare(text);
  if (n === undefined) {
    throw new SloSyntaxError(`errors wants a share like 0.1% or 0.001, got '${text}'`);
  }
  return n;
}

/** Parses `p99=50ms,errors=0.1%` (any of p50, p90, p95, p99, p999 and errors; errors default 0.1 %). */
export function parseSlo(text: string): Slo {
  const slo: Slo = { latencyMs: {}, errorRate: DEFAULT_SLO.errorRate };
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0)
    throw new SloSyntaxError('an SLO needs at least one bound, e.g. p99=50ms');
  for (const part of parts) {
    const [key = '', value, extra] = part.split('=').map((s) => s.trim());
    if (value === undefined || extra !== undefined) {
      throw new SloSyntaxError(`expected key=value, got '${part}'`);
    }
    if (key === 'errors') slo.errorRate = share(value);
    else if ((SLO_PERCENTILES as readonly string[]).includes(key)) {
      slo.latencyMs[key as SloPercentile] = duration(value, key);
    } else {
      throw new SloSyntaxError(
        `unknown bound '${key}': use ${SLO_PERCENTILES.join(', ')} or errors`,
      );
    }
  }
  return slo;
}

/** The SLO as text, e.g. `p99 ≤ 50 ms, errors ≤ 0.1%`. */
export function describeSlo(slo: Slo): string {
  const bounds = SLO_PERCENTILES.flatMap((p) => {
    const ms = slo.latencyMs[p];
    return ms === undefined ? [] : [`${p} ≤ ${ms} ms`];
  });
  return [...bounds, `errors ≤ ${Number((slo.errorRate * 100).toPrecision(3))}%`].join(', ');
}

/** What a step measured that the SLO judges. */
export interface SloFigures {
  latencyMs: Record<SloPercentile, number>;
  errorRate: number;
}

/** Why a step breaks the SLO (empty when it meets it). */
export function sloBreaches(slo: Slo, f: SloFigures): string[] {
  const reasons = SLO_PERCENTILES.flatMap((p) => {
    const limit = slo.latencyMs[p];
    const got = f.latencyMs[p];
    return limit !== undefined && got > limit ? [`${p} ${got.toFixed(1)} ms > ${limit} ms`] : [];
  });
  if (f.errorRate > slo.errorRate) {
    reasons.push(
      `errors ${(f.errorRate * 100).toFixed(2)}% > ${(slo.errorRate * 100).toFixed(2)}%`,
    );
  }
  return reasons;
}
