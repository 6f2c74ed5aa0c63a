/** Text for a missing figure. */
export const NA = 'n/a';

const missing = (value: number | null | undefined): value is null | undefined =>
  value === null || value === undefined || !Number.isFinite(value);

/** Decimals that keep about three significant digits: 0 from 100 up, 1 from 10, else 2. */
function threeDigits(value: number): string {
  const abs = Math.abs(value);
  return value.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : 2);
}

/** A ratio in [0, 1] as a percentage: 0.1234 → "12.3%"; null → "n/a". */
export function percent(value: number | null | undefined, digits = 1): string {
  if (missing(value)) return NA;
  return `${(value * 100).toFixed(digits)}%`;
}

/** A difference of two ratios in percentage points, without a unit: 0.0234 → "2.3". */
export function points(value: number, digits = 1): string {
  return (value * 100).toFixed(digits);
}

/** A relative change as a signed percentage: 0.123 → "+12.3%", -0.5 → "-50.0%"; null → "n/a". */
export function signedPercent(value: number | null | undefined, digits = 1): string {
  if (missing(value)) return NA;
  const text = (value * 100).toFixed(digits);
  return value > 0 && Number(text) !== 0 ? `+${text}%` : `${text}%`;
}

/**
 * A duration given in milliseconds, compact, never in seconds (report tables): 0.000025 → "25 ns",
 * 0.0423 → "42.3 µs", 3.214 → "3.21 ms", 45.26 → "45.3 ms", 1234.5 → "1235 ms".
 */
export function millis(value: number | null | undefined): string {
  if (missing(value)) return NA;
  const abs = Math.abs(value);
  if (abs === 0) return '0 ms';
  if (abs < 0.001) return `${Number((value * 1e6).toPrecision(2))} ns`;
  if (abs < 0.1) return `${Number((value * 1e3).toPrecision(3))} µs`;
  return `${threeDigits(value)} ms`;
}

/**
 * A duration given in milliseconds, in the unit that suits it from ns to s, always with three
 * significant digits (benchmark tables): 0.000024 → "24.0 ns", 0.0013 → "1.30 µs", 1500 → "1.50 s".
 */
export function duration(ms: number | null | undefined): string {
  if (missing(ms)) return NA;
  const abs = Math.abs(ms);
  if (abs < 0.001) return `${threeDigits(ms * 1e6)} ns`;
  if (abs < 1) return `${threeDigits(ms * 1e3)} µs`;
  if (abs < 1000) return `${threeDigits(ms)} ms`;
  return `${threeDigits(ms / 1000)} s`;
}

/** Seconds with `digits` decimals: 12.34 → "12.3 s". */
export function seconds(value: number, digits = 1): string {
  return `${value.toFixed(digits)} s`;
}

/** A plain number with `digits` decimals (thousands separated): 1234.5 → "1,234.5"; a rate: 12345.6 → "12,346". */
export function number(value: number | null | undefined, digits = 0): string {
  if (missing(value)) return NA;
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** A number with exactly `digits` decimals and no thousands separator; `absent` for null ("-0.000" prints "0.000"). */
export function fixed(value: number | null, digits: number, absent = NA): string {
  if (value === null) return absent;
  const scale = 10 ** digits;
  const rounded = Math.round(value * scale) / scale;
  // -0.0002 would print as "-0.000"; -0 === 0, so this prints "0.000".
  return (rounded === 0 ? 0 : rounded).toFixed(digits);
}

/** How many times larger `a` is than `b`: 5.63 → "5.6×"; "∞×" when b is 0 and a is not. */
export function times(a: number, b: number): string {
  if (b === 0) return a === 0 ? '1.0×' : '∞×';
  const ratio = a / b;
  return `${ratio >= 100 ? ratio.toFixed(0) : ratio.toFixed(1)}×`;
}

/** A ratio already divided, with three significant digits: 130 → "130×", 1.5 → "1.50×"; null → "n/a". */
export function multiple(value: number | null | undefined): string {
  if (missing(value)) return NA;
  return `${threeDigits(value)}×`;
}

/** Bytes in binary units: 25769803776 → "24.0 GiB". */
export function bytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = value;
  let unit = 0;
  while (v >= 1024 && unit < units.length - 1) {
    v /= 1024;
    unit++;
  }
  return `${v.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** Requests per second: 149.96 → "150.0 req/s". */
export function rps(value: number): string {
  return `${number(value, 1)} req/s`;
}

/** A list in prose: ["a"] → "a"; ["a","b"] → "a and b"; ["a","b","c"] → "a, b and c". */
export function listProse(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** A chart value shown the way its chart shows it (percent, ms, or a number with sensible digits). */
export function formatAs(format: 'number' | 'percent' | 'ms', value: number | null): string {
  if (value === null) return NA;
  if (format === 'percent') return percent(value, 2);
  if (format === 'ms') return millis(value);
  return number(value, Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 3);
}
