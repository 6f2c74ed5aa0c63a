import { z } from 'zod';
import { count } from './attributes.ts';
import { createDelayQueue } from './delay-queue.ts';
import type { ToxicKind } from './toxic.ts';

const attributes = z.object({ average_size: count, size_variation: count, delay: count });

/**
 * `slicer`: cuts each chunk into slices of average_size ± size_variation bytes, sent `delay`
 * microseconds apart.
 */
export const slicer: ToxicKind<z.infer<typeof attributes>> = {
  type: 'slicer',
  attributes,
  create({ average_size, size_variation, delay }, out, { scheduler }) {
    const queue = createDelayQueue(out, scheduler);
    const size = (): number => {
      const spread = Math.min(size_variation, Math.max(0, average_size - 1));
      return Math.max(1, Math.round(average_size + (Math.random() * 2 - 1) * spread));
    };
    return {
      write(chunk) {
        if (average_size <= 0) return void queue.enqueue(chunk, chunk.arrivedAt);
        let at = Math.max(performance.now(), queue.lastDue);
        for (let offset = 0; offset < chunk.data.length; ) {
          const data = chunk.data.subarray(offset, offset + size());
          offset += data.length;
          queue.enqueue({ data, arrivedAt: chunk.arrivedAt }, at);
          at += delay / 1000;
        }
      },
      end: () => queue.end(),
      flush: () => queue.flush(),
      dispose: () => queue.dispose(),
    };
  },
};
