import { z } from 'zod';
import { amount } from './attributes.ts';
import type { ToxicKind } from './toxic.ts';

const attributes = z.object({ delay: amount });

/** `slow_close`: passes data through but delays the end of the stream (FIN) by `delay` ms. */
export const slowClose: ToxicKind<z.infer<typeof attributes>> = {
  type: 'slow_close',
  attributes,
  create({ delay }, out) {
    let timer: NodeJS.Timeout | undefined;
    return {
      write: (chunk) => out.push(chunk),
      end() {
        timer = setTimeout(() => {
          timer = undefined;
          out.end();
        }, delay);
      },
      flush() {
        if (!timer) return;
        clearTimeout(timer);
        timer = undefined;
        out.end();
      },
      dispose: () => clearTimeout(timer),
    };
  },
};
