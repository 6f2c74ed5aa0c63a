import { topologyNames } from '../../lab/topology/catalog.ts';
import { sel, sumRate } from './promql.ts';

// Selectors of the comparison dashboard: every topology and run picked in the variables.
/** Matchers of the picked topologies and runs. */
export const S = 'topology=~"$topology", run_id=~"$run_id"';
/** Comparison series are grouped by topology and run. */
export const BY = ['topology', 'run_id'];
/** Legend prefix of every comparison series. */
export const LEGEND = '{{topology}} {{run_id}}';
/** The request histogram. */
export const HTTP = 'cachelab_http_request_duration_seconds';
/** The profile routes (GET and PATCH). */
export const PROFILE_ROUTES = 'route=~"profile_get|profile_patch"';

/** Cache gets summed by `by`, optionally narrowed by one more matcher (e.g. result="hit"). */
export const CACHE_GETS = (by: string[], extra = '') =>
  sumRate(by, 'cachelab_cache_operations_total', sel('op="get"', extra, S));

/** Only catalog topologies are offered: the variable derives from the model, not from stray series. */
export function catalogRegex(): string {
  return `^(${topologyNames().join('|')})$`;
}
