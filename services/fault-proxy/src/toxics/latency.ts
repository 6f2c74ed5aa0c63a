import { z } from 'zod';
import { amount } from './attributes.ts';
import { createDelayQueue } from './delay-queue.ts';
import type { ToxicKind } from './toxic.ts';

const attributes = z.object({ latency: amount, jitter: amount });

/**
 * `latency`: each chunk leaves at its arrival time + latency ± jitter (ms), so back-to-back chunks
 * do not pile up delay; a chunk never overtakes the one before it.
 */
export const latency: ToxicKind<z.infer<typeof attributes>> = {
  type: 'latency',
  attributes,
  create({ latency: base, jitter }, out, { scheduler }) {
    const queue = createDelayQueue(out, scheduler);
    const delay = (): number =>
      Math.max(0, jitter > 0 ? base + (Math.random() * 2 - 1) * jitter : base);
    return {
      write: (chunk) => void queue.enqueue(chunk, chunk.arrivedAt + delay()),
      end: () => queue.end(),
      flush: () => queue.flush(),
      dispose: () => queue.dispose(),
    };
  },
};
