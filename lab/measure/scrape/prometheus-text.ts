/** One sample of the Prometheus text exposition format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A line of a /metrics body that is not a valid sample. */
export class PrometheusParseError extends Error {
  readonly line: number;

  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'PrometheusParseError';
    this.line = line;
  }
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/**
 * Non-numeric values, lower-cased: Prometheus reads them case-insensitively (Go's ParseFloat), and
 * prom-client writes a NaN gauge as `Nan`.
 */
const SPECIAL_VALUES = new Map<string, number>([
  ['nan', Number.NaN],
  ['inf', Number.POSITIVE_INFINITY],
  ['+inf', Number.POSITIVE_INFINITY],
  ['-inf', Number.NEGATIVE_INFINITY],
  ['infinity', Number.POSITIVE_INFINITY],
  ['+infinity', Number.POSITIVE_INFINITY],
  ['-infinity', Number.NEGATIVE_INFINITY],
]);

function parseValue(text: string): number {
  const special = SPECIAL_VALUES.get(text.toLowerCase());
  if (special !== undefined) return special;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`bad value '${text}'`);
  return value;
}

/** Reads a quoted label value starting after the opening quote; returns the value and the index after the closing quote. */
function readQuoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') return { value, end: i + 1 };
    if (c !== '\\') {
      value += c;
      continue;
    }
    const next = text[++i];
    value += next === 'n' ? '\n' : (next ?? '');
  }
  throw new Error('unterminated label value');
}

function parseLabels(text: string, start: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start;
  for (let guard = 0; guard < 1000; guard++) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (text[i] === '}') return { labels, end: i + 1 };
    const name = LABEL_NAME.exec(text.slice(i))?.[0];
    if (!name || text[i + name.length] !== '=' || text[i + name.length + 1] !== '"') {
      throw new Error(`bad label at column ${i + 1}`);
    }
    const quoted = readQuoted(text, i + name.length + 2);
    labels[name] = quoted.value;
    i = quoted.end;
  }
  throw new Error('too many labels');
}

function parseSampleLine(line: string): Sample {
  const name = NAME.exec(line)?.[0];
  if (!name) throw new Error('no metric name');
  let rest = name.length;
  let labels: Record<string, string> = {};
  if (line[rest] === '{') {
    const parsed = parseLabels(line, rest + 1);
    labels = parsed.labels;
    rest = parsed.end;
  }
  // The value may be followed by an optional timestamp, which is ignored.
  const [valueText = ''] = line.slice(rest).trim().split(/\s+/);
  return { name, labels, value: parseValue(valueText) };
}

/** Parses a Prometheus text exposition (version 0.0.4) body into samples; comments are skipped. */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      samples.push(parseSampleLine(line));
    } catch (error) {
      throw new PrometheusParseError(
        index + 1,
        error instanceof Error ? error.message : 'bad line',
      );
    }
  }
  return samples;
}

/** Sum of the samples called `name` whose labels include every pair of `match`. */
export function sumSamples(
  samples: readonly Sample[],
  name: string,
  match: Readonly<Record<string, string>> = {},
): number {
  let sum = 0;
  for (const s of samples) {
    if (s.name !== name) continue;
    if (Object.entries(match).every(([k, v]) => s.labels[k] === v)) sum += s.value;
  }
  return sum;
}

/** Sums of the samples called `name`, grouped by the value of label `by` (missing label: ''). */
export function sumBy(
  samples: readonly Sample[],
  name: string,
  by: string,
  match: Readonly<Record<string, string>> = {},
): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const s of samples) {
    if (s.name !== name) continue;
    if (!Object.entries(match).every(([k, v]) => s.labels[k] === v)) continue;
    const key = s.labels[by] ?? '';
    sums[key] = (sums[key] ?? 0) + s.value;
  }
  return sums;
}
