import { fixed } from '../text/format.ts';
import { renderTable as renderColumns } from '../text/table.ts';
import type { ResizeResult } from './resize.ts';
import type { ScaleResult, TopologyFigures } from './scale-simulation.ts';

/** Rows under headers, every column right-aligned (all figures). */
function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return renderColumns(
    headers.map((header) => ({ header, right: true })),
    rows,
  );
}

/** A ratio with three decimals, or '-' when the tier does not exist. */
const fmtRatio = (value: number | null): string => fixed(value, 3, '-');

function workloadLabel(workload: ScaleResult['settings']['workload']): string {
  return typeof workload === 'string' ? workload : workload.name;
}

const pair = (f: TopologyFigures): string[] => [
  fmtRatio(f.hitRatio.overall),
  fmtRatio(f.dbReadsPerRequest),
];

/** The scale result as a terminal table: hit ratios and database reads per request per N. */
export function formatScaleTable(result: ScaleResult): string {
  const s = result.settings;
  const headers = [
    'N',
    'rr hit',
    'rr db/req',
    'rr-lo hit',
    'rr-lo stale',
    'ch hit',
    'ch db/req',
    'global hit',
    'global db/req',
  ].concat(['2t l1', '2t l2', '2t hit', '2t db/req']);
  const rows = result.rows.map((row) => {
    const t = row.topologies;
    const two = t['two-tier'];
    return [
      String(row.servers),
      ...pair(t['local-round-robin']),
      fmtRatio(t['local-round-robin-local-invalidation'].hitRatio.overall),
      fmtRatio(t['local-round-robin-local-invalidation'].staleReadRate),
      ...pair(t['local-consistent-hash']),
    ].concat(pair(t.global), fmtRatio(two.hitRatio.l1), fmtRatio(two.hitRatio.l2), ...pair(two));
  });
  return [
    `Scale — ${workloadLabel(s.workload)}, ${s.keyCount} keys, ${s.warmupRequests} warm-up + ` +
      `${s.measuredRequests} measured requests, L1 ${s.cacheEntries} entries/server, ` +
      `global ${s.globalEntries} entries, seed ${s.seed}`,
    renderTable(headers, rows),
    'rr = local LRU per server behind round-robin, a write invalidating every server; rr-lo = the same',
    'with a write invalidating only the server that took it (stale = stale reads per read);',
    'ch = local LRU per server behind a ketama ring;',
    'global = one shared LRU; 2t = two-tier (L1 per server + global L2; l2 = hits among L1 misses).',
  ].join('\n');
}

/** The resize result as a terminal table: keys moved and the hit-ratio dip per change and scheme. */
export function formatResizeTable(result: ResizeResult): string {
  const s = result.settings;
  const headers = [
    'change',
    'scheme',
    'moved keys',
    'expected',
    'moved slots',
    'hit before',
  ].concat(['hit after', 'dip', 'next windows']);
  const rows = result.changes.map((c) => [
    `${c.from}→${c.to}`,
    c.scheme,
    fmtRatio(c.movedKeyShare),
    fmtRatio(c.expectedMovedShare),
    fmtRatio(c.movedSlotShare),
    fmtRatio(c.hitRatioBefore),
    fmtRatio(c.hitRatioAfter[0] ?? null),
    fmtRatio(c.dip),
    c.hitRatioAfter.slice(1).map(fmtRatio).join(' '),
  ]);
  return [
    `Resize — ${workloadLabel(s.workload)}, ${s.keyCount} keys, nodes of ${s.nodeEntries} entries, ` +
      `${s.warmupRequests} warm-up requests, windows of ${s.windowRequests} requests, seed ${s.seed}`,
    renderTable(headers, rows),
    'dip = hit ratio of the window before the change − the window right after it;',
    'cluster-slots migrates entries with their slots; modulo and ketama lose the moved keys.',
  ].join('\n');
}
