import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { isAppError } from './errors.ts';

/** What loadConfig throws for `env` (undefined when it accepts it). */
function configError(env: Record<string, string>): unknown {
  try {
    loadConfig(env);
  } catch (caught) {
    return caught;
  }
  return undefined;
}

describe('loadConfig: IDEMPOTENCY_RETENTION_MS', () => {
  it('defaults to 10 minutes and takes a value in 1 s … 7 days', () => {
    expect(loadConfig({}).IDEMPOTENCY_RETENTION_MS).toBe(600_000);
    expect(loadConfig({ IDEMPOTENCY_RETENTION_MS: '1500' }).IDEMPOTENCY_RETENTION_MS).toBe(1_500);
  });

  it('refuses a value outside the range or not an integer, naming the variable', () => {
    for (const value of ['0', '999', '604800001', '1.5', 'ten']) {
      const error = configError({ IDEMPOTENCY_RETENTION_MS: value });
      expect(isAppError(error) && error.code).toBe('CONFIG_INVALID');
      expect(String((error as Error).message)).toContain('IDEMPOTENCY_RETENTION_MS');
    }
  });
});

describe('loadConfig: REDIS_NAT_MAP', () => {
  it('is empty by default and maps each announced host:port to the one to dial', () => {
    expect(loadConfig({}).REDIS_NAT_MAP).toEqual({});
    const map = loadConfig({
      REDIS_NAT_MAP: 'redis-1:6379=fault-proxy:21003, redis-2:6379=10.0.0.7:21004',
    }).REDIS_NAT_MAP;
    expect(map).toEqual({
      'redis-1:6379': { host: 'fault-proxy', port: 21003 },
      'redis-2:6379': { host: '10.0.0.7', port: 21004 },
    });
  });

  it('refuses a pair that is not host:port=host:port, naming the variable and the pair', () => {
    for (const value of ['redis-1:6379', 'redis-1=fault-proxy:1', 'a:1=b:2=c:3', 'a:1=b:x']) {
      const error = configError({ REDIS_NAT_MAP: value });
      expect(isAppError(error) && error.code).toBe('CONFIG_INVALID');
      expect(String((error as Error).message)).toContain('REDIS_NAT_MAP');
      expect(String((error as Error).message)).toContain(value);
    }
  });
});
