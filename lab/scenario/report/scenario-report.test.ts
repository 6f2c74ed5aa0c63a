import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type ScenarioResults,
  type ScenarioRunRecord,
  scenarioResultsSchema,
} from '../../report/scenario-results-schema.ts';
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchema } from '../scenario-schema-file.ts';
import { renderScenarioHtml, timelineChart } from './scenario-html.ts';
import { renderScenarioMarkdown } from './scenario-markdown.ts';

const zeroErrors = { timeout: 0, connection: 0, http4xx: 0, http5xx: 0, other: 0 };

function run(): ScenarioRunRecord {
  const series = Array.from({ length: 4 }, (_, t) => ({
    t,
    offered: 10,
    sent: 10,
    ok: t === 2 ? 7 : 10,
    errors: t === 2 ? { ...zeroErrors, http5xx: 3 } : zeroErrors,
    p50Ms: 1,
    p99Ms: 4,
    hitRatio: 0.5,
    reads: { l1: 0, l2: 5, miss: 5, bypass: 0 },
    dbQps: 5,
    redisOps: { 'redis-1': 10 },
    staleReads: 0,
    holds: t !== 2,
  }));
  const verdict = { seconds: 1, broken: 0, holds: true };
  return {
    scenario: 'redis-kill',
    question: 'What if?',
    topology: 'global',
    variant: 'with grace',
    settings: { network: 'loopback', consistency: 'lease', graceMs: 60_000 },
    driver: 'native',
    status: 'completed',
    error: null,
    errorSamples: { http5xx: 'HTTP 503' },
    requestsRetried: 2,
    load: { workload: 'read-heavy', rate: 10, keyCount: 100, warmupSec: 1, durationSec: 4 },
    tolerances: { maxErrorRate: 0.001, maxP99Factor: 2, minHitRatioFactor: 0.9 },
    baseline: { errorRate: 0, p99Ms: 4, hitRatio: 0.5, dbQps: 5 },
    events: [
      {
        phase: 'action',
        kind: 'kill',
        description: 'kill redis-1',
        atSec: 2,
        startedSec: 2.01,
        endedSec: 2.05,
        ok: true,
        detail: 'SIGKILL redis-1 (pid 1)',
      },
      {
        phase: 'rollback',
        kind: 'rollback',
        description: 'bring redis-1 back',
        atSec: null,
        startedSec: 4.2,
        endedSec: 4.9,
        ok: true,
        detail: 'done',
      },
    ],
    series,
    figures: null,
    verdicts: { before: verdict, during: { ...verdict, broken: 1, holds: false }, after: verdict },
    verdict: 'availability 92.50 % (3 failed).',
    wallSec: 12,
  };
}

const results = (): ScenarioResults => ({
  schemaVersion: 1,
  kind: 'scenarios',
  startedAt: '2026-12-07T11:00:00.000Z',
  wallSec: 12,
  machine: {
    cpuModel: 'cpu',
    cores: 2,
    memoryBytes: 1,
    platform: 'linux',
    osRelease: 'x',
    arch: 'x64',
  },
  runs: [run()],
  notRun: [{ scenario: 'bus-partition', topology: null, reason: 'needs a proxy per server' }],
});

describe('the scenario report', () => {
  it('validates against the schema, whose committed JSON Schema file is current', () => {
    expect(scenarioResultsSchema.parse(results())).toEqual(results());
    expect(JSON.parse(readFileSync(SCENARIO_SCHEMA_PATH, 'utf8'))).toEqual(scenarioJsonSchema());
    expect(() => scenarioResultsSchema.parse({ ...results(), extra: 1 })).toThrow();
  });

  it('writes "What happens when…" with the cross-topology table, actions and per-second lines', () => {
    const md = renderScenarioMarkdown(results());
    expect(md).toContain('# What happens when…');
    expect(md).toContain('| redis-kill | global (with grace) | completed |');
    expect(md).toContain('rollback: bring redis-1 back');
    expect(md).toContain('2 reads sent again on a fresh connection');
    expect(md).toMatch(/ {2}2s ok {4}7 failed {4}3 .*✗ ▲ kill redis-1/);
    expect(md).toContain('| bus-partition | all | needs a proxy per server |');
  });

  it('draws each run as a timeline with its actions marked', () => {
    const chart = timelineChart(run(), 0);
    expect(chart.failedPerSec).toEqual([0, 0, 3, 0]);
    expect(chart.marks).toEqual([
      { t: 2.01, label: 'kill redis-1', rollback: false },
      { t: 4.2, label: 'rollback: bring redis-1 back', rollback: true },
    ]);
    const html = renderScenarioHtml(results(), '/* chart.js */');
    expect(html).toContain('data-timeline="run-0"');
    expect(html).toContain('"label":"kill redis-1"');
    expect(html).not.toContain('<script src');
  });
});
