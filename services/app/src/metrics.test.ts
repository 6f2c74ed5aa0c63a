import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.ts';

const CONTRACT_NAMES = [
  'cachelab_http_request_duration_seconds',
  'cachelab_cache_operations_total',
  'cachelab_cache_operation_duration_seconds',
  'cachelab_db_query_duration_seconds',
  'cachelab_l1_entries',
  'cachelab_l1_bytes',
  'cachelab_cache_evictions_total',
  'cachelab_invalidations_total',
  'cachelab_cache_errors_total',
  'cachelab_profile_reads_total',
];

function exercise() {
  const metrics = createMetrics({ topology: 'two-tier', serverId: 'app-2' });
  metrics.observeRequest({
    route: 'profile_get',
    method: 'GET',
    status: 200,
    cache: 'HIT-L1',
    seconds: 0.0001,
  });
  metrics.observeRequest({
    route: 'unknown',
    method: 'BREW',
    status: 405,
    cache: 'none',
    seconds: 0.001,
  });
  metrics.countProfileRead('HIT-L1');
  metrics.observer.operation('l1', 'get', 'hit', 0.00002);
  metrics.observer.eviction('l1', 'size');
  metrics.observer.invalidation('received');
  metrics.observer.error('l2', new Error('down'));
  metrics.db.query('profile_aggregate', 'ok', 0.004);
  metrics.trackLocalTier(() => ({ entries: 3, bytes: 4096 }));
  return metrics;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the text exposition into samples (label order is not part of the contract). */
function parseSamples(text: string): Sample[] {
  const line = /^([a-z_:][a-z0-9_:]*)\{([^}]*)\} (\S+)$/;
  return text.split('\n').flatMap((row) => {
    const match = line.exec(row);
    if (!match) return [];
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    return [{ name: match[1] ?? '', labels, value: Number(match[3]) }];
  });
}

function matches(actual: Record<string, string>, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([key, value]) => actual[key] === value);
}

describe('createMetrics', () => {
  it('exposes every contract metric with the default labels topology and server', async () => {
    const { body, contentType } = await exercise().render();
    expect(contentType).toContain('text/plain');
    const samples = parseSamples(body);
    for (const name of CONTRACT_NAMES) {
      const family = samples.filter((s) => s.name === name || s.name.startsWith(`${name}_`));
      expect(family.length, name).toBeGreaterThan(0);
      for (const sample of family) {
        expect(sample.labels).toMatchObject({ topology: 'two-tier', server: 'app-2' });
      }
    }
  });

  it('records the documented label values', async () => {
    const samples = parseSamples((await exercise().render()).body);
    const find = (name: string, labels: Record<string, string>) =>
      samples.find((s) => s.name === name && matches(s.labels, labels))?.value;
    const http = { route: 'profile_get', method: 'GET', status: '200', cache: 'HIT-L1' };
    expect(find('cachelab_http_request_duration_seconds_count', http)).toBe(1);
    const other = { route: 'unknown', method: 'OTHER', status: '405', cache: 'none' };
    expect(find('cachelab_http_request_duration_seconds_count', other)).toBe(1);
    expect(find('cachelab_profile_reads_total', { result: 'HIT-L1' })).toBe(1);
    const op = { tier: 'l1', op: 'get', result: 'hit' };
    expect(find('cachelab_cache_operations_total', op)).toBe(1);
    const query = { query: 'profile_aggregate', result: 'ok' };
    expect(find('cachelab_db_query_duration_seconds_count', query)).toBe(1);
    expect(find('cachelab_cache_evictions_total', { tier: 'l1', reason: 'size' })).toBe(1);
    expect(find('cachelab_invalidations_total', { direction: 'received' })).toBe(1);
    expect(find('cachelab_cache_errors_total', { tier: 'l2' })).toBe(1);
    expect(find('cachelab_l1_entries', {})).toBe(3);
    expect(find('cachelab_l1_bytes', {})).toBe(4096);
  });

  it('has a 50 µs bucket and a 2 s bucket on the HTTP histogram', async () => {
    const samples = parseSamples((await exercise().render()).body);
    const les = samples
      .filter((s) => s.name === 'cachelab_http_request_duration_seconds_bucket')
      .map((s) => s.labels.le);
    expect(les).toContain('0.00005');
    expect(les).toContain('2');
  });

  it('includes the prefixed default process metrics', async () => {
    const { body } = await exercise().render();
    expect(body).toMatch(/^cachelab_process_cpu_seconds_total\{/m);
    expect(body).toMatch(/^cachelab_nodejs_eventloop_lag_seconds\{/m);
  });

  it('keeps separate registries per app instance', async () => {
    const a = exercise();
    const b = createMetrics({ topology: 'local', serverId: 'app-9' });
    expect(a.registry).not.toBe(b.registry);
    expect((await b.render()).body).not.toContain('server="app-2"');
  });

  it('never labels with a key or an id', async () => {
    const samples = parseSamples((await exercise().render()).body);
    const names = new Set(samples.flatMap((s) => Object.keys(s.labels)));
    for (const forbidden of ['key', 'id', 'profile_id', 'path', 'url']) {
      expect(names.has(forbidden)).toBe(false);
    }
  });
});
