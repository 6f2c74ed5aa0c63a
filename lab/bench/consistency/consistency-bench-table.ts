import { formatTable } from '../../text/table.ts';
import type { ModeGoals } from './consistency-goals.ts';

const ms = (value: number): string => `${Math.round(value)} ms`;
const at = (value: number | null): string => (value === null ? '–' : `${value.toFixed(1)} s`);
const verdict = (pass: boolean): string => (pass ? 'PASS' : 'FAIL');

/**
 * One line per (mode, topology) of steady load and per (mode, failure, topology): STALE counts the
 * silent stale reads the goals judge, GRACE STALE the declared stale-if-error answers (X-Cache: STALE).
 */
export function consistencyGoalsTable(modes: readonly ModeGoals[]): string {
  const rows = modes.flatMap((m) => [
    ...m.steady.map((s) => [
      m.mode,
      'steady write-heavy',
      s.topology,
      String(s.reads),
      String(s.staleReads),
      String(s.graceStaleReads),
      ms(s.maxStaleWindowMs),
      '–',
      '–',
      s.completed ? 'completed' : 'FAILED',
    ]),
    ...m.recovery.map((r) => [
      m.mode,
      r.failure,
      r.topology,
      String(r.reads),
      String(r.staleReads),
      String(r.graceStaleReads),
      ms(r.maxStaleWindowMs),
      r.cacheBackSec === null
        ? 'not back'
        : `${at(r.cacheBackSec)} (failed at ${at(r.failedAtSec)})`,
      r.cacheBackSec === null ? '–' : at(r.latestStaleAfterBackSec),
      r.completed ? 'completed' : 'FAILED',
    ]),
  ]);
  return formatTable([
    [
      'MODE',
      'LOAD',
      'TOPOLOGY',
      'READS',
      'STALE',
      'GRACE STALE',
      'LONGEST STALE',
      'CACHE BACK AT',
      'LATEST STALE AFTER BACK',
      'RUN',
    ],
    ...rows,
  ]);
}

/** The goals, pass or fail per mode, with the reason per topology. */
export function consistencyGoalsSummary(modes: readonly ModeGoals[], minReads: number): string {
  const lines = modes.flatMap((m) => [
    `${verdict(m.goals.steady.pass)}  ${m.mode}: zero stale reads over ≥ ${minReads} steady reads per topology`,
    ...m.goals.steady.details.map((d) => `        ${d}`),
    `${verdict(m.goals.recovery.pass)}  ${m.mode}: no stale read > 1 s after the cache answers again`,
    ...m.goals.recovery.details.map((d) => `        ${d}`),
  ]);
  return `${lines.join('\n')}\n`;
}
