import { z } from 'zod';
import { count } from './attributes.ts';
import type { ToxicKind } from './toxic.ts';

const attributes = z.object({ bytes: count });

/** `limit_data`: passes the first `bytes` bytes, then closes the connection. */
export const limitData: ToxicKind<z.infer<typeof attributes>> = {
  type: 'limit_data',
  attributes,
  create({ bytes }, out) {
    let sent = 0;
    let closed = false;
    return {
      write(chunk) {
        if (closed) return;
        const room = bytes - sent;
        const data = chunk.data.length > room ? chunk.data.subarray(0, room) : chunk.data;
        if (data.length > 0) out.push({ data, arrivedAt: chunk.arrivedAt });
        sent += data.length;
        if (sent >= bytes) {
          closed = true;
          out.close();
        }
      },
      end: () => {
        if (!closed) out.end();
      },
      flush: () => {},
      dispose: () => {},
    };
  },
};
