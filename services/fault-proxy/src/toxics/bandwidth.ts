import { z } from 'zod';
import { amount } from './attributes.ts';
import { createDelayQueue } from './delay-queue.ts';
import type { ToxicKind } from './toxic.ts';

const attributes = z.object({ rate: amount });

/** Largest slice sent at once, in ms of transmission time at the configured rate (as toxiproxy). */
const SLICE_MS = 100;

/** `bandwidth`: passes data at `rate` KB/s (1 KB = 1000 bytes); 0 means unlimited. */
export const bandwidth: ToxicKind<z.infer<typeof attributes>> = {
  type: 'bandwidth',
  attributes,
  create({ rate }, out, { scheduler }) {
    const queue = createDelayQueue(out, scheduler);
    // Bytes per ms equals the rate in KB/s.
    const sliceBytes = Math.max(1, Math.floor(rate * SLICE_MS));
    return {
      write(chunk) {
        if (rate <= 0) return void queue.enqueue(chunk, chunk.arrivedAt);
        let free = Math.max(performance.now(), queue.lastDue);
        for (let offset = 0; offset < chunk.data.length; offset += sliceBytes) {
          const data = chunk.data.subarray(offset, offset + sliceBytes);
          free += data.length / rate;
          queue.enqueue({ data, arrivedAt: chunk.arrivedAt }, free);
        }
      },
      end: () => queue.end(),
      flush: () => queue.flush(),
      dispose: () => queue.dispose(),
    };
  },
};
