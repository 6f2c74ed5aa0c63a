import { z } from 'zod';
import { amount } from './attributes.ts';
import type { ToxicKind } from './toxic.ts';

const attributes = z.object({ timeout: amount });

/**
 * `reset_peer`: when data arrives, waits `timeout` ms (0: not at all) and resets the connection
 * (TCP RST to both peers); the data is dropped.
 */
export const resetPeer: ToxicKind<z.infer<typeof attributes>> = {
  type: 'reset_peer',
  attributes,
  create({ timeout: ms }, out) {
    let timer: NodeJS.Timeout | undefined;
    let armed = false;
    return {
      write() {
        if (armed) return;
        armed = true;
        if (ms === 0) out.reset();
        else timer = setTimeout(() => out.reset(), ms);
      },
      end: () => {
        if (!armed) out.end();
      },
      flush: () => clearTimeout(timer),
      dispose: () => clearTimeout(timer),
    };
  },
};
