import type { RunResult } from '../../../loadtests/result-types.ts';
import type { ScrapeSession, ServerDelta } from '../scrape/snapshot.ts';
import { type CostProbe, type CostReading, type WindowCost, windowCost } from './component-cost.ts';

/** A scrape session that also reads every component's CPU and memory with each scrape. */
export interface CostRecorder {
  session: ScrapeSession;
  /** The window's cost between the first and the last scrape; undefined without two readings. */
  cost(window: { run: RunResult; delta: ServerDelta }): WindowCost | undefined;
}

/**
 * Wraps `session` so each scrape (at the window's start, and once the last response is in) also reads
 * `probe`, in parallel, so CPU and server counters cover the same interval.
 */
export function recordCost(session: ScrapeSession, probe: CostProbe): CostRecorder {
  const readings: CostReading[] = [];
  let generatorMemoryBytes = 0;
  return {
    session: {
      async scrape() {
        const [snapshot, reading] = await Promise.all([session.scrape(), probe.read()]);
        readings.push(reading);
        generatorMemoryBytes = process.memoryUsage().rss;
        return snapshot;
      },
      close: () => session.close(),
    },
    cost({ run, delta }) {
      const start = readings[0];
      const end = readings.at(-1);
      if (!start || !end || readings.length < 2) return undefined;
      return windowCost(probe.source, start, end, run.requests.completed, {
        delta,
        ...(run.generatorCpu ? { generator: run.generatorCpu } : {}),
        generatorMemoryBytes,
      });
    },
  };
}
