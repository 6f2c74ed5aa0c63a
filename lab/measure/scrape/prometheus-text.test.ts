import { describe, expect, it } from 'vitest';
import { PrometheusParseError, parsePrometheusText, sumBy, sumSamples } from './prometheus-text.ts';

const BODY = `# HELP cachelab_profile_reads_total Profile reads by X-Cache result
# TYPE cachelab_profile_reads_total counter
cachelab_profile_reads_total{result="HIT-L1",topology="local",server="app-1"} 42
cachelab_profile_reads_total{result="MISS",topology="local",server="app-1"} 8
cachelab_db_query_duration_seconds_bucket{le="+Inf",query="profile_aggregate",result="ok"} 8
cachelab_db_query_duration_seconds_count{query="profile_aggregate",result="ok"} 8
cachelab_db_query_duration_seconds_count{query="profile_aggregate",result="error"} 1
cachelab_l1_entries 1.5e3 1700000000000
weird_label{path="a\\"b\\\\c\\nd"} NaN
`;

describe('parsePrometheusText', () => {
  it('parses names, labels, values and skips comments and timestamps', () => {
    const samples = parsePrometheusText(BODY);
    expect(samples).toHaveLength(7);
    expect(samples[0]).toEqual({
      name: 'cachelab_profile_reads_total',
      labels: { result: 'HIT-L1', topology: 'local', server: 'app-1' },
      value: 42,
    });
    expect(samples[2]?.labels.le).toBe('+Inf');
    expect(samples[5]).toEqual({ name: 'cachelab_l1_entries', labels: {}, value: 1500 });
  });

  it('unescapes label values', () => {
    const weird = parsePrometheusText(BODY).at(-1);
    expect(weird?.labels.path).toBe('a"b\\c\nd');
    expect(weird?.value).toBeNaN();
  });

  it('reads +Inf and -Inf values', () => {
    const [a, b] = parsePrometheusText('a +Inf\nb -Inf\n');
    expect(a?.value).toBe(Number.POSITIVE_INFINITY);
    expect(b?.value).toBe(Number.NEGATIVE_INFINITY);
  });

  it('reads NaN and infinities in any case, as Prometheus does (prom-client writes `Nan`)', () => {
    const samples = parsePrometheusText('a Nan\nb nan\nc NAN\nd +inf\ne -INF\nf Inf\n');
    const values = samples.map((sample) => sample.value);
    expect(values.slice(0, 3)).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    expect(values.slice(3)).toEqual([
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
    ]);
    expect(() => parsePrometheusText('a Nano\n')).toThrow(/bad value 'Nano'/);
  });

  it('reports the line of a malformed sample', () => {
    expect(() => parsePrometheusText('ok 1\nbad{x="1" 2\n')).toThrow(PrometheusParseError);
    expect(() => parsePrometheusText('ok 1\nnovalue\n')).toThrow(/line 2/);
  });
});

describe('sumSamples / sumBy', () => {
  const samples = parsePrometheusText(BODY);

  it('sums the samples whose labels match', () => {
    const name = 'cachelab_db_query_duration_seconds_count';
    expect(sumSamples(samples, name)).toBe(9);
    expect(sumSamples(samples, name, { result: 'ok' })).toBe(8);
    expect(sumSamples(samples, 'absent')).toBe(0);
  });

  it('groups sums by a label', () => {
    expect(sumBy(samples, 'cachelab_profile_reads_total', 'result')).toEqual({
      'HIT-L1': 42,
      MISS: 8,
    });
  });
});
