import { z } from 'zod';
import { amount } from './attributes.ts';
import type { ToxicKind } from './toxic.ts';

const attributes = z.object({ timeout: amount });

/**
 * `timeout`: drops every byte; after `timeout` ms closes the connection. 0 is a black hole that
 * holds the connection open until the toxic is removed.
 */
export const timeout: ToxicKind<z.infer<typeof attributes>> = {
  type: 'timeout',
  attributes,
  create({ timeout: ms }, out) {
    let timer = ms > 0 ? setTimeout(() => out.close(), ms) : undefined;
    const stop = (): void => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    };
    return {
      write: () => {},
      end: () => {
        stop();
        out.end();
      },
      flush: stop,
      dispose: stop,
    };
  },
};
