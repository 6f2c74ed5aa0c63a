import type { PanelSpec, RowSpec } from './dashboard-builder.ts';
import { quantile, sel, sumGauge, sumRate, zeroFill } from './promql.ts';

const I = sel('topology="$topology", run_id="$run_id"', 'server="invalidator"');
const PREFIX = 'cachelab_invalidator';
/** One series per run while the invalidator is scraped: the base of every zero-fill. */
const PENDING = sumGauge([], `${PREFIX}_pending`, I);

function panel(
  title: string,
  description: string,
  unit: string,
  targets: PanelSpec['targets'],
): PanelSpec {
  return { title, description, unit, targets };
}

/**
 * "Outbox invalidator": the process that applies the outbox of the `outbox` modes (empty for the
 * topologies without one): how far behind it is, what it applied, and how often it had to retry.
 */
export function invalidatorRow(): RowSpec {
  return {
    title: 'Outbox invalidator',
    panels: [
      panel(
        'Outbox lag and pending invalidations',
        'Age of the oldest pending outbox row (0 when none) and rows not yet applied.',
        's',
        [
          { expr: sumGauge([], `${PREFIX}_lag_seconds`, I), legend: 'lag (oldest pending row)' },
          { expr: PENDING, legend: 'pending rows' },
        ],
      ),
      panel(
        'Invalidations applied and replayed/s',
        'Outbox rows applied and marked done, and keys invalidated again after a Redis error.',
        'ops',
        [
          { expr: sumRate([], `${PREFIX}_applied_total`, I), legend: 'applied' },
          { expr: sumRate([], `${PREFIX}_replayed_total`, I), legend: 'replayed' },
        ],
      ),
      panel(
        'Commit to applied p50 / p99',
        'From an update’s commit to its invalidation applied in Redis.',
        's',
        [0.5, 0.99].map((q) => ({
          expr: quantile(q, [], `${PREFIX}_apply_delay_seconds`, I),
          legend: `p${q * 100}`,
        })),
      ),
      panel(
        'Retries: failed batches/s by stage',
        'Batches rolled back and retried after a Redis or database failure; 0 when none.',
        'ops',
        [
          {
            expr: zeroFill(sumRate(['stage'], `${PREFIX}_failures_total`, I), [], PENDING),
            legend: '{{stage}}',
          },
          { expr: sumRate([], `${PREFIX}_cache_errors_total`, I), legend: 'Redis errors seen' },
        ],
      ),
      panel(
        'Outbox scans/s by cause',
        'What woke the invalidator: NOTIFY, the polling backstop, a retry after a failure, a re-LISTEN.',
        'ops',
        [{ expr: sumRate(['source'], `${PREFIX}_wakeups_total`, I), legend: '{{source}}' }],
      ),
    ],
  };
}
