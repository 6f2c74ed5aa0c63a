const SECONDS_PER: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/**
 * A duration in seconds from "90", "500ms", "2m" or "1.5h"; a bare number is in `bareUnit`.
 * Undefined when the text is not a non-negative duration.
 */
export function parseDurationSeconds(text: string, bareUnit: 'ms' | 's' = 's'): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * (SECONDS_PER[match[2] ?? bareUnit] ?? 1);
  return Number.isFinite(seconds) ? seconds : undefined;
}

/** A share in [0, 1] from a percentage ("5%") or a fraction ("0.05"); undefined otherwise. */
export function parseShare(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(%)?$/.exec(text.trim());
  if (!match) return undefined;
  const fraction = Number(match[1]) / (match[2] ? 100 : 1);
  return Number.isFinite(fraction) && fraction <= 1 ? fraction : undefined;
}
