import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('fault proxy config', () => {
  it('defaults to toxiproxy port 8474 on loopback', () => {
    expect(loadConfig([], {})).toEqual({ host: '127.0.0.1', port: 8474 });
  });

  it('reads flags over the environment', () => {
    const env = {
      FAULT_PROXY_HOST: '0.0.0.0',
      FAULT_PROXY_PORT: '9000',
      FAULT_PROXY_CONFIG: 'a.json',
    };
    expect(loadConfig([], env)).toEqual({ host: '0.0.0.0', port: 9000, config: 'a.json' });
    expect(loadConfig(['--port', '0', '--host', '::1'], env)).toMatchObject({
      host: '::1',
      port: 0,
    });
  });

  it('rejects a bad port, an unknown flag and a stray argument with a clear error', () => {
    expect(() => loadConfig(['--port', '70000'], {})).toThrow(/port/);
    expect(() => loadConfig([], { FAULT_PROXY_PORT: 'x' })).toThrow(ConfigError);
    expect(() => loadConfig(['--verbose'], {})).toThrow(/verbose/);
    expect(() => loadConfig(['extra'], {})).toThrow(ConfigError);
  });
});
