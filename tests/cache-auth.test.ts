import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisNode, startRedis } from '../lab/run/processes/redis.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import { silentObserver } from '../services/app/src/cache/cache-types.ts';
import { createCache } from '../services/app/src/cache/create-cache.ts';
import { loadConfig } from '../services/app/src/config.ts';
import { createLogger } from '../services/app/src/logger.ts';

const PASSWORD = 's3cret/with:odd@chars';
const logger = createLogger({ level: 'silent', serverId: 'auth-test' });

describe('Redis with requirepass (compose sets a password)', () => {
  let runDir: string;
  let redis: RedisNode;

  beforeAll(async () => {
    runDir = await makeRunDir('cachelab-auth-');
    redis = await startRedis({ runDir });
    const admin = new Redis(redis.port, '127.0.0.1');
    await admin.config('SET', 'requirepass', PASSWORD);
    admin.disconnect();
  });
  afterAll(async () => {
    await redis?.kill();
    await removeRunDir(runDir);
  });

  const cases = [
    { label: 'REDIS_PASSWORD', env: () => ({ REDIS_PASSWORD: PASSWORD }) },
    {
      label: 'password in REDIS_URL',
      env: () => ({ REDIS_URL: `redis://:${encodeURIComponent(PASSWORD)}@${redis.address}` }),
    },
  ];

  for (const mode of ['global', 'two-tier'] as const) {
    for (const c of cases) {
      it(`${mode} authenticates with ${c.label}`, async () => {
        const config = loadConfig({ CACHE_MODE: mode, REDIS_URL: redis.url, ...c.env() });
        const cache = await createCache(config, { observer: silentObserver, logger });
        try {
          await cache.ping();
          await cache.set(`auth:${mode}`, Buffer.from('ok'), 10_000);
          expect((await cache.get(`auth:${mode}`))?.value.toString()).toBe('ok');
        } finally {
          await cache.close();
        }
      });
    }
  }

  it('a wrong password fails the ping instead of hanging', async () => {
    const config = loadConfig({ CACHE_MODE: 'global', REDIS_URL: redis.url, REDIS_PASSWORD: 'x' });
    const cache = await createCache(config, { observer: silentObserver, logger });
    try {
      await expect(cache.ping()).rejects.toThrow();
    } finally {
      await cache.close();
    }
  });
});
