import { describe, expect, it } from 'vitest';
import { isK6Only, metricNames, substituteVariables } from './dashboard-queries.ts';

describe('dashboard inspection helpers', () => {
  it('substitutes $name and the braced form, and refuses unknown variables', () => {
    const expr = ['rate(x{topology=~"$topology", run_id="$', '{run_id}"}[$__rate_interval])'].join(
      '',
    );
    const values = { topology: 'local', run_id: 'r1', __rate_interval: '30s' };
    expect(substituteVariables(expr, values)).toBe('rate(x{topology=~"local", run_id="r1"}[30s])');
    expect(() => substituteVariables('x{a="$nope"}', values)).toThrow(/\$nope/);
  });

  it('tells k6-fed expressions from scraped ones', () => {
    const mixed = 'sum(rate(k6_stale_reads_total{a="b"}[1m])) / sum(up{a="b"})';
    expect(metricNames(mixed)).toEqual(['k6_stale_reads_total', 'up']);
    expect(isK6Only(mixed)).toBe(false);
    expect(isK6Only('max by (testid) (k6_http_req_duration_p95{testid=~"x"})')).toBe(true);
  });
});
