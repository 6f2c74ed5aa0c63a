import { describe, expect, it } from 'vitest';
import { buildK6Options, readK6Config } from './k6/k6-config.ts';
import {
  K6_METRICS,
  type K6SummaryData,
  MEASURED_DROPPED,
  MEASURED_DURATION,
  toRunResult,
} from './k6/k6-summary.ts';
import { parseRunResult } from './result-format.ts';

const env = {
  RATE: '100',
  DURATION: '10',
  WARMUP: '2',
  MAX_VUS: '50',
  TOPOLOGY: 'local',
  SERVER_IDS: 'app-1,app-2',
};

function trend(count: number, p99: number) {
  return {
    type: 'trend',
    values: {
      count,
      avg: 2,
      med: 1,
      'p(50)': 1,
      'p(90)': 3,
      'p(95)': 4,
      'p(99)': p99,
      'p(99.9)': 8,
      max: 9,
    },
  };
}
const counter = (count: number) => ({ type: 'counter', values: { count, rate: count / 10 } });

function summaryData(): K6SummaryData {
  return {
    setup_data: { startedAt: '2025-01-02T03:04:05.000Z' },
    metrics: {
      [MEASURED_DURATION]: trend(995, 5),
      [MEASURED_DROPPED]: counter(5),
      [K6_METRICS.reads]: counter(945),
      [K6_METRICS.writes]: counter(50),
      [K6_METRICS.responses]: counter(990),
      [K6_METRICS.versionedReads]: counter(940),
      [K6_METRICS.staleReads]: counter(2),
      [K6_METRICS.staleWindow]: trend(2, 30),
      [K6_METRICS.latencyRead]: trend(940, 5),
      [K6_METRICS.cacheCount('HIT-L1')]: counter(900),
      [K6_METRICS.cacheLatency('HIT-L1')]: trend(900, 2),
      [K6_METRICS.cacheCount('MISS')]: counter(40),
      [K6_METRICS.error('timeout')]: counter(5),
      [K6_METRICS.servedBy(0)]: counter(600),
      [K6_METRICS.servedBy(1)]: counter(380),
      [K6_METRICS.servedByOther]: counter(10),
    },
  };
}

describe('readK6Config', () => {
  it('reads numbers and lists from the environment with defaults', () => {
    const c = readK6Config(env);
    expect(c).toMatchObject({
      rate: 100,
      durationSec: 10,
      warmupSec: 2,
      maxVUs: 50,
      workload: 'read-heavy',
    });
    expect(c.serverIds).toEqual(['app-1', 'app-2']);
    expect(c.testId).toBe('local-read-heavy');
  });

  it('rejects an unknown workload and bad numbers', () => {
    expect(() => readK6Config({ WORKLOAD: 'nope' })).toThrow(/unknown WORKLOAD/);
    expect(() => readK6Config({ RATE: 'fast' })).toThrow(/RATE/);
    expect(() => readK6Config({ RATE: '0' })).toThrow(/positive/);
  });
});

describe('buildK6Options', () => {
  it('runs an open model: warm-up then the measured window, both constant-arrival-rate', () => {
    const o = buildK6Options(readK6Config(env));
    expect(Object.keys(o.scenarios)).toEqual(['warmup', 'measure']);
    expect(o.scenarios.measure).toMatchObject({
      executor: 'constant-arrival-rate',
      rate: 100,
      duration: '10s',
      startTime: '2s',
      maxVUs: 50,
    });
    expect(o.thresholds).toEqual({
      'http_req_failed{scenario:measure}': ['rate<0.01'],
      'http_req_duration{scenario:measure}': ['p(95)<250', 'p(99)<500'],
      'dropped_iterations{scenario:measure}': ['count<11'],
    });
    expect(o.tags).toEqual({ topology: 'local', testid: 'local-read-heavy' });
    expect(o.systemTags).not.toContain('url');
  });
});

describe('toRunResult', () => {
  it('builds a schema-valid RunResult with generator k6', () => {
    const r = parseRunResult(toRunResult(summaryData(), readK6Config(env)));
    expect(r.generator).toBe('k6');
    expect(r.requests).toEqual({
      scheduled: 1000,
      sent: 995,
      dropped: 5,
      completed: 990,
      reads: 945,
      writes: 50,
    });
    expect(r.achievedRps).toBeCloseTo(99.5);
    expect(r.valid).toBe(true);
    expect(r.latencyMs.p99).toBe(5);
    expect(r.cacheResults).toEqual({ 'HIT-L1': 900, MISS: 40 });
    expect(r.servedBy).toEqual({ 'app-1': 600, 'app-2': 380, other: 10 });
    expect(r.errors.timeout).toBe(5);
    expect(r.staleReadRate).toBeCloseTo(2 / 940);
    expect(r.maxStaleWindowMs).toBe(9);
    expect(r.schedulingLagMs).toBeNull();
  });

  it('marks a run with too many dropped iterations invalid', () => {
    const data = summaryData();
    data.metrics[MEASURED_DROPPED] = counter(100);
    const r = toRunResult(data, readK6Config(env));
    expect(r.valid).toBe(false);
    expect(r.invalidReasons.join()).toMatch(/dropped/);
  });
});
