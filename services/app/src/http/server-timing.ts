/** Durations, in milliseconds, spent in each backend while answering one request. */
export interface TimingParts {
  cacheMs: number;
  dbMs: number;
}

/** Formats `Server-Timing: cache;dur=0.123, db;dur=4.567` (ms, three decimals, never negative). */
export function formatServerTiming(parts: TimingParts): string {
  return `cache;dur=${ms(parts.cacheMs)}, db;dur=${ms(parts.dbMs)}`;
}

function ms(value: number): string {
  return Number.isFinite(value) && value > 0 ? value.toFixed(3) : '0.000';
}
