import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { isAppError } from './errors.ts';

describe('loadConfig: IDEMPOTENCY_RETENTION_MS', () => {
  it('defaults to 10 minutes and takes a value in 1 s … 7 days', () => {
    expect(loadConfig({}).IDEMPOTENCY_RETENTION_MS).toBe(600_000);
    expect(loadConfig({ IDEMPOTENCY_RETENTION_MS: '1500' }).IDEMPOTENCY_RETENTION_MS).toBe(1_500);
  });

  it('refuses a value outside the range or not an integer, naming the variable', () => {
    for (const value of ['0', '999', '604800001', '1.5', 'ten']) {
      let error: unknown;
      try {
        loadConfig({ IDEMPOTENCY_RETENTION_MS: value });
      } catch (caught) {
        error = caught;
      }
      expect(isAppError(error) && error.code).toBe('CONFIG_INVALID');
      expect(String((error as Error).message)).toContain('IDEMPOTENCY_RETENTION_MS');
    }
  });
});
