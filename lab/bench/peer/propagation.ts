import { setImmediate as yieldToIo } from 'node:timers/promises';
import { createRecorder, type LatencySummary } from '../ladder/sampler.ts';
import type { PeerCache } from './peer-caches.ts';

/** What changes on instance A: the key is deleted, or a new value is written. */
export type Change = 'delete' | 'write';

/** Propagation delays of one change kind, plus how many never propagated within the bound. */
export interface PropagationSummary extends LatencySummary {
  change: Change;
  timeouts: number;
}

/** Longest wait for B to drop the old value before the iteration counts as a timeout. */
const MAX_WAIT_MS = 2_000;

/** Two instances of one library: A changes keys, B serves them. */
export interface PeerPair {
  name: string;
  a: PeerCache;
  b: PeerCache;
}

/**
 * Time from the start of a change on A until B no longer returns the old value: B holds the old
 * value in its L1, A changes the key, and B is read after every turn of the event loop (so the bus
 * message can be processed) until its answer differs. One fresh key per iteration; the pairs take
 * turns, so drift in machine load lands on each alike.
 */
export async function measurePropagation(
  pairs: readonly PeerPair[],
  options: { change: Change; iterations: number; old: Buffer; fresh: Buffer },
): Promise<Map<string, PropagationSummary>> {
  const slots = pairs.map((pair) => ({ pair, recorder: createRecorder(), timeouts: 0 }));
  try {
    for (let i = 0; i < options.iterations; i++) {
      for (const [index, slot] of slots.entries()) {
        const key = `peer:${index}:${options.change}:${i}`;
        await primed(slot.pair, key, options.old);
        const waited = await untilStale(slot.pair, key, options);
        if (waited === undefined) slot.timeouts += 1;
        else slot.recorder.record(waited);
      }
    }
    return new Map(
      slots.map(({ pair, recorder, timeouts }) => [
        pair.name,
        { change: options.change, timeouts, ...recorder.summary() },
      ]),
    );
  } finally {
    for (const slot of slots) slot.recorder.destroy();
  }
}

/** A writes the old value; B reads it (filling B's L1) and must then hold it. */
async function primed(pair: { a: PeerCache; b: PeerCache }, key: string, old: Buffer) {
  await pair.a.set(key, old);
  await pair.b.get(key);
  if (!pair.b.holds(await pair.b.get(key), old)) {
    throw new Error(`peer bench: instance B does not hold ${key} after priming`);
  }
}

/** Starts the change on A and polls B; returns the delay in ns, or undefined after MAX_WAIT_MS. */
async function untilStale(
  { a, b }: { a: PeerCache; b: PeerCache },
  key: string,
  options: { change: Change; old: Buffer; fresh: Buffer },
): Promise<number | undefined> {
  const started = process.hrtime.bigint();
  const change = options.change === 'delete' ? a.remove(key) : a.write(key, options.fresh);
  let waited: number | undefined;
  for (;;) {
    const elapsed = Number(process.hrtime.bigint() - started);
    if (!b.holds(await b.get(key), options.old)) {
      waited = Number(process.hrtime.bigint() - started);
      break;
    }
    if (elapsed > MAX_WAIT_MS * 1e6) break;
    await yieldToIo();
  }
  await change;
  return waited;
}
