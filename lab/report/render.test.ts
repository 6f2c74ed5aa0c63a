import { describe, expect, it } from 'vitest';
import { buildCharts } from './charts.ts';
import { escapeHtml, renderHtml, scriptJson } from './render-html.ts';
import { chartTable, markdownTable, renderMarkdown } from './render-markdown.ts';
import { buildReportModel } from './report-model.ts';
import { measuredFixture, resultsFixture } from './test-fixtures.ts';

const results = resultsFixture([
  measuredFixture('no-cache', {
    dbQueriesPerRequest: 0.95,
    hitRatio: { overall: null, l1: null, l2: null },
  }),
  measuredFixture('local', { valid: false, invalidReasons: ['scheduling lag p99 30 ms > 20 ms'] }),
]);

describe('charts', () => {
  it('draws Redis, ladder and simulation charts only when there is data for them', () => {
    const ids = buildCharts(results).map((c) => c.id);
    expect(ids).toEqual(['latency', 'throughput', 'hit-ratio', 'db-queries', 'stale-reads']);
    const withLadder = buildCharts(results, [{ name: 'L1 get', p50Ms: 0.01, p99Ms: 0.02 }]);
    expect(withLadder.map((c) => c.id)).toContain('latency-ladder');
  });

  it('marks invalid runs in the labels', () => {
    expect(buildCharts(results)[0]?.labels).toEqual(['no-cache', 'local†']);
  });

  it('turns a chart into a table with formatted values', () => {
    const db = buildCharts(results).find((c) => c.id === 'db-queries');
    expect(db && chartTable(db).rows).toEqual([
      ['no-cache', '0.950'],
      ['local†', '0.475'],
    ]);
  });
});

describe('renderers', () => {
  it('escapes HTML, script JSON and Markdown cells', () => {
    expect(escapeHtml('<a href="x">&\'</a>')).toBe(
      '&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;',
    );
    expect(scriptJson({ t: '</script><!--' })).toBe('{"t":"\\u003c/script>\\u003c!--"}');
    expect(markdownTable({ header: ['a|b'], rows: [['x\ny']] })).toBe(
      '| a\\|b |\n| --- |\n| x y |',
    );
  });

  it('puts the invalid run and every chart in both reports', () => {
    const model = buildReportModel(results, { ladderNote: 'No latency ladder.' });
    const md = renderMarkdown(model);
    expect(md).toContain('local: invalid run (scheduling lag p99 30 ms > 20 ms).');
    expect(md).toContain('No latency ladder.');
    for (const chart of model.charts) expect(md).toContain(`## ${chart.title}`);
    const html = renderHtml(model, '/* chart.js */');
    for (const chart of model.charts) expect(html).toContain(`id="chart-${chart.id}"`);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
  });

  it('says which driver ran the topologies, in both reports', () => {
    const native = buildReportModel(results, {});
    expect(renderMarkdown(native)).toContain('- **driver**: native (processes on this machine');
    const compose = resultsFixture(results.topologies, {
      parameters: { ...results.parameters, driver: 'compose' },
    });
    const html = renderHtml(buildReportModel(compose, {}), '/* chart.js */');
    expect(html).toContain('<dt>driver</dt><dd>compose (Docker Compose containers');
  });
});
