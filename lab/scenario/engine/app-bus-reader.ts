import { fetchMetrics } from '../../measure/scrape/fetch-metrics.ts';
import { sumSamples } from '../../measure/scrape/prometheus-text.ts';

/** An app server whose /metrics the sampler reads (host-side URL). */
export interface AppTarget {
  server: string;
  url: string;
}

/** What one app server's /metrics said about its L1 and its bus at one tick (null: unread). */
export interface AppReading {
  l1Entries: number | null;
  /** Cumulative invalidation messages this server received over its bus. */
  received: number | null;
}

const UNREAD: AppReading = { l1Entries: null, received: null };

/** Reads the L1 size and the bus messages received of `app`; a server that does not answer is null. */
export async function readAppBus(app: AppTarget): Promise<AppReading> {
  try {
    const samples = await fetchMetrics('app', app.server, app.url, 700);
    return {
      l1Entries: sumSamples(samples, 'cachelab_l1_entries'),
      received: sumSamples(samples, 'cachelab_invalidations_total', { direction: 'received' }),
    };
  } catch {
    return UNREAD;
  }
}
