import * as hdr from 'hdr-histogram-js';

/** Latency percentiles of one operation, in ms (from an HDR histogram recorded in ns). */
export interface LatencySummary {
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  samples: number;
}

/** How many timed runs, after how many untimed ones. */
export interface SampleCount {
  samples: number;
  warmup: number;
}

/** A recorder of durations in ns; `summary()` reads it, `destroy()` frees it. */
export interface Recorder {
  record(ns: number): void;
  summary(): LatencySummary;
  destroy(): void;
}

/** An HDR histogram at 3 significant digits from 1 ns to 60 s. */
export function createRecorder(): Recorder {
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60e9,
    numberOfSignificantValueDigits: 3,
  });
  let count = 0;
  return {
    record(ns) {
      histogram.recordValue(Math.min(Math.max(1, Math.round(ns)), 60e9));
      count += 1;
    },
    summary: () => ({
      // HDR reports the top of a value's bucket, so percentiles are capped at the true maximum.
      p50Ms: Math.min(histogram.getValueAtPercentile(50), histogram.maxValue) / 1e6,
      p99Ms: Math.min(histogram.getValueAtPercentile(99), histogram.maxValue) / 1e6,
      meanMs: histogram.mean / 1e6,
      maxMs: histogram.maxValue / 1e6,
      samples: count,
    }),
    destroy: () => histogram.destroy(),
  };
}

const now = (): bigint => process.hrtime.bigint();

/** Times each awaited call of `op` (warm-up first, untimed). */
export async function sampleAsync(
  op: () => Promise<unknown>,
  count: SampleCount,
): Promise<LatencySummary> {
  const results = await sampleInterleaved({ op }, count);
  return results.op as LatencySummary;
}

/**
 * Times several operations taking turns (a, b, b, a …), so drift in machine load (another process,
 * GC, CPU frequency) lands on every one of them alike. Returns one summary per name.
 */
export async function sampleInterleaved<K extends string>(
  ops: Record<K, () => Promise<unknown>>,
  count: SampleCount,
): Promise<Record<K, LatencySummary>> {
  const entries = Object.entries(ops) as [K, () => Promise<unknown>][];
  const recorders = entries.map(() => createRecorder());
  try {
    for (let i = 0; i < count.warmup; i++) for (const [, op] of entries) await op();
    for (let i = 0; i < count.samples; i++) {
      // Rotate who goes first, so no operation always follows the same other one.
      for (let turn = 0; turn < entries.length; turn++) {
        const index = (i + turn) % entries.length;
        const op = entries[index]?.[1] as () => Promise<unknown>;
        const started = now();
        await op();
        recorders[index]?.record(Number(now() - started));
      }
    }
    return Object.fromEntries(
      entries.map(([name], index) => [name, recorders[index]?.summary()]),
    ) as Record<K, LatencySummary>;
  } finally {
    for (const recorder of recorders) recorder.destroy();
  }
}

/**
 * Times a synchronous operation too fast for one clock read each (tens of ns): each sample is the
 * mean of `batch` back-to-back calls, so percentiles are of batch means, not of single calls.
 */
export function sampleSyncBatched(
  op: () => unknown,
  count: SampleCount & { batch: number },
): LatencySummary {
  const recorder = createRecorder();
  try {
    for (let i = 0; i < count.warmup * count.batch; i++) op();
    for (let i = 0; i < count.samples; i++) {
      const started = now();
      for (let j = 0; j < count.batch; j++) op();
      recorder.record(Number(now() - started) / count.batch);
    }
    return recorder.summary();
  } finally {
    recorder.destroy();
  }
}

/** Sequential ops/s of `op` over a window of `seconds` (calls awaited one after another). */
export async function opsPerSecond(op: () => Promise<unknown>, seconds: number): Promise<number> {
  const deadline = now() + BigInt(Math.round(seconds * 1e9));
  const started = now();
  let calls = 0;
  // Check the clock every 64 calls: reading it costs as much as an L1 hit.
  while (now() < deadline) {
    for (let i = 0; i < 64; i++) await op();
    calls += 64;
  }
  return calls / (Number(now() - started) / 1e9);
}
