import { duration, number } from '../../text/format.ts';
import { renderSection, renderTable } from '../../text/table.ts';
import type { GoalVerdict } from '../bench-stats.ts';
import type { HitRow, PropagationRow } from './peer.ts';

const HIT_COLUMNS = [
  { header: 'L1 hit, in process' },
  { header: 'ops/s', right: true },
  { header: 'p50', right: true },
  { header: 'p99', right: true },
  { header: 'samples', right: true },
];

const PROPAGATION_COLUMNS = [
  { header: 'A changes, B stops serving old' },
  { header: 'change' },
  { header: 'p50', right: true },
  { header: 'p99', right: true },
  { header: 'max', right: true },
  { header: 'n', right: true },
  { header: 'timeouts', right: true },
];

function hitTable(hits: readonly HitRow[]): string {
  const cells = hits.map((h) => [
    h.name,
    number(h.opsPerSec),
    duration(h.p50Ms),
    duration(h.p99Ms),
    String(h.samples),
  ]);
  return renderTable(HIT_COLUMNS, cells);
}

function propagationTable(propagation: readonly PropagationRow[]): string {
  const cells = propagation.flatMap((row) =>
    row.results.map((r) => [
      row.name,
      r.change,
      duration(r.p50Ms),
      duration(r.p99Ms),
      duration(r.maxMs),
      String(r.samples),
      String(r.timeouts),
    ]),
  );
  return renderTable(PROPAGATION_COLUMNS, cells);
}

/** The peer tables: L1 hits per library, then invalidation propagation per library and change. */
export function printPeer(
  hits: readonly HitRow[],
  propagation: readonly PropagationRow[],
  goals: readonly GoalVerdict[],
  bytes: number,
): string {
  const notes = [
    `value: one profile, ${bytes} bytes (ours: Buffer; bentocache: the same JSON as a string); one Redis as L2 and bus for both; A and B are two instances in this process with their own connections.`,
    'ours "write" = invalidate then set (what the app does after a commit); bentocache "write" = set (it publishes the key; B marks its L1 copy stale).',
    ...goals.map((g) => `GOAL ${g.pass ? 'PASS' : 'FAIL'}: ${g.goal}: ${g.detail}`),
  ];
  const hitsSection = renderSection('Peer: two-tier vs bentocache, L1 hits', hitTable(hits));
  const title = 'Peer: invalidation propagation';
  return `${hitsSection}${renderSection(title, propagationTable(propagation), notes)}`;
}
