import { type LoadClient, undiciLoadClient } from './load-client.ts';
import { OpenLoop, type ScheduleShare } from './open-loop.ts';
import type { ResolvedOptions } from './options.ts';
import { RawHttpClient } from './raw-http-client.ts';
import type { SeriesPart } from './second-series.ts';
import { type StatsPart, statsPartOf } from './stats-part.ts';

/** What one share of the schedule measured, ready to cross a thread boundary. */
export interface ShareResult {
  part: StatsPart;
  startedAt: string;
  measuredSpanSec: number;
  eventLoopUtilization: number;
  series?: SeriesPart;
}

/** Runs one share of the open-model schedule over its own keep-alive pool. */
export async function runShare(o: ResolvedOptions, share: ScheduleShare): Promise<ShareResult> {
  const settings = { baseUrl: o.baseUrl, connections: o.connections, timeoutMs: o.timeoutMs };
  const client: LoadClient =
    o.client === 'undici' ? undiciLoadClient(settings) : new RawHttpClient(settings);
  try {
    const outcome = await new OpenLoop(o, client, share).run();
    return {
      part: statsPartOf(outcome.stats, outcome.staleness),
      startedAt: outcome.startedAt.toISOString(),
      measuredSpanSec: outcome.measuredSpanSec,
      eventLoopUtilization: outcome.eventLoopUtilization,
      ...(outcome.series ? { series: outcome.series } : {}),
    };
  } finally {
    await client.destroy();
  }
}
