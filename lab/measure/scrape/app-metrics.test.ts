import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { appCountersOf, scrapeApp, subtractAppCounters } from './app-metrics.ts';
import { parsePrometheusText } from './prometheus-text.ts';
import { ScrapeError } from './scrape-error.ts';

const labels = 'topology="two-tier",server="app-1"';
const metrics = (reads: number, queries: number) => `
cachelab_http_request_duration_seconds_count{${labels},route="profile_get",method="GET",status="200",cache="HIT-L1"} ${reads}
cachelab_http_request_duration_seconds_count{${labels},route="profile_patch",method="PATCH",status="200",cache="none"} 5
cachelab_http_request_duration_seconds_count{${labels},route="metrics",method="GET",status="200",cache="none"} 99
cachelab_profile_reads_total{${labels},result="HIT-L1"} ${reads}
cachelab_cache_operations_total{${labels},tier="l1",op="get",result="hit"} ${reads}
cachelab_db_query_duration_seconds_count{${labels},query="profile_aggregate",result="ok"} ${queries}
cachelab_db_query_duration_seconds_sum{${labels},query="profile_aggregate",result="ok"} 0.5
cachelab_invalidations_total{${labels},direction="sent"} 2
cachelab_invalidations_total{${labels},direction="received"} 4
cachelab_l1_entries{${labels}} ${reads * 2}
cachelab_l1_bytes{${labels}} ${reads * 1000}
`;

describe('app counters', () => {
  it('extracts profile requests (not /metrics), reads, cache ops and DB queries', () => {
    const c = appCountersOf('app-1', parsePrometheusText(metrics(10, 3)));
    expect(c).toMatchObject({
      server: 'app-1',
      profileRequests: 15,
      profileReads: { 'HIT-L1': 10 },
      cacheOps: { 'l1:get:hit': 10 },
      dbQueries: { profile_aggregate: 3 },
      invalidationsSent: 2,
      invalidationsReceived: 4,
      evictions: 0,
      l1Entries: 20,
      l1Bytes: 10_000,
    });
  });

  it('subtracts two scrapes, keeping the later gauge', () => {
    const before = appCountersOf('app-1', parsePrometheusText(metrics(10, 3)));
    const after = appCountersOf('app-1', parsePrometheusText(metrics(25, 7)));
    expect(subtractAppCounters(after, before)).toMatchObject({
      profileRequests: 15,
      profileReads: { 'HIT-L1': 15 },
      dbQueries: { profile_aggregate: 4 },
      invalidationsSent: 0,
      l1Entries: 50,
      l1Bytes: 25_000,
    });
  });
});

describe('scrapeApp timeout', () => {
  it('fails with a ScrapeError naming the server and the timeout when /metrics does not answer', async () => {
    const server = createServer(() => {}); // accepts the request and never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const scrape = scrapeApp('app-9', `http://127.0.0.1:${port}`, 200);
      await expect(scrape).rejects.toBeInstanceOf(ScrapeError);
      await expect(scrape).rejects.toThrow(/could not scrape app-9 .*timeout 200 ms/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
