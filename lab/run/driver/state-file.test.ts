import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabState, ServiceRole } from './driver-types.ts';
import { readState, writeState } from './state-file.ts';

/** Every role a driver may record; `satisfies` fails to compile when a role is added and not listed. */
const ROLES = {
  nginx: true,
  app: true,
  invalidator: true,
  network: true,
  redis: true,
  postgres: true,
  observer: true,
} satisfies Record<ServiceRole, true>;

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('the lab state file', () => {
  it('keeps a service of every role, the outbox invalidator included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cachelab-state-'));
    dirs.push(dir);
    const services = (Object.keys(ROLES) as ServiceRole[]).map((role, i) => ({
      name: `${role}-1`,
      role,
      pid: 100 + i,
      startTime: 0,
      ports: [20_000 + i],
      stopSignal: 'SIGTERM' as const,
      logPath: `docker:${role}`,
    }));
    const state: LabState = {
      version: 1,
      driver: 'compose',
      topology: 'two-tier',
      startedAt: '2026-12-07T00:00:00.000Z',
      runDir: dir,
      httpUrl: 'http://127.0.0.1:18181',
      httpPort: 18181,
      databaseUrl: 'postgres://cachelab@127.0.0.1:5432/cachelab',
      redis: { url: 'redis://127.0.0.1:6379' },
      services,
      network: 'lan',
    };
    await writeState(join(dir, 'current.json'), state);
    expect(await readState(join(dir, 'current.json'))).toEqual(state);
  });
});
