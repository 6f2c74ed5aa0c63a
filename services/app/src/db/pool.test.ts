import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { poolConfig } from './pool.ts';

describe('poolConfig', () => {
  it('takes size and timeouts from the app configuration', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://cachelab:cachelab@127.0.0.1:5999/cachelab',
      DB_POOL_SIZE: '7',
      DB_CONNECT_TIMEOUT_MS: '250',
      DB_STATEMENT_TIMEOUT_MS: '1500',
      SERVER_ID: 'app-3',
    });
    expect(poolConfig(config)).toMatchObject({
      connectionString: 'postgres://cachelab:cachelab@127.0.0.1:5999/cachelab',
      max: 7,
      connectionTimeoutMillis: 250,
      statement_timeout: 1500,
      application_name: 'cachelab-app-3',
    });
  });

  it('gives up on a silent server later than the server-side statement timeout', () => {
    const config = loadConfig({ DB_STATEMENT_TIMEOUT_MS: '1500' });
    expect(poolConfig(config).query_timeout).toBeGreaterThan(1500);
  });
});
