import type { CacheStrategy } from './cache-types.ts';

/** Creates the `none` strategy: stores nothing, every get is a miss; the read path reports BYPASS. */
export function createNoCache(): CacheStrategy {
  return {
    name: 'none',
    passthrough: true,
    get: async () => undefined,
    async set() {},
    async invalidate() {},
    async ping() {},
    localStats: () => undefined,
    async close() {},
  };
}
