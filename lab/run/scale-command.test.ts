import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabError } from '../lab-errors.ts';
import { getTopology } from '../topology/catalog.ts';
import { scaleSwarm } from './driver/swarm/scale.ts';
import { swarmState } from './driver/swarm/stack-state.ts';
import { parseScaleSpec } from './scale-command.ts';

describe('parseScaleSpec', () => {
  it('reads SERVICE=N', () => {
    expect(parseScaleSpec('app=5')).toEqual({ service: 'app', replicas: 5 });
  });

  it.each(['app', 'app=', '=3', 'app=-1', 'app=five', 'APP=2', 'app=1000'])(
    "refuses '%s' with the expected form",
    (text) => {
      expect(() => parseScaleSpec(text)).toThrow(LabError);
      expect(() => parseScaleSpec(text)).toThrow(/SERVICE=N/);
    },
  );
});

describe('scaleSwarm bounds (checked before docker is asked)', () => {
  const record = {
    stack: 's',
    offline: true,
    appImage: 'img',
    nginxMode: 'variable' as const,
    httpPort: 1,
    postgresPort: 2,
    redisPorts: [],
    replicas: { app: 3 },
  };
  it.each([
    ['nginx', 2, /only app can be scaled/],
    ['app', 0, /from 1 to 32/],
    ['app', 33, /from 1 to 32/],
  ])('%s=%i is a usage error', async (service, n, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'scale-'));
    try {
      const state = swarmState(getTopology('global'), dir, record);
      await expect(scaleSwarm(getTopology('global'), state, service, n)).rejects.toThrow(message);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
