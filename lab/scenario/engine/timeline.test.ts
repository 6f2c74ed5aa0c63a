import { describe, expect, it } from 'vitest';
import { epochNow } from '../../../loadtests/runner/spread-run.ts';
import { LabError } from '../../lab-errors.ts';
import type { Driver, RunningLab } from '../../run/driver/driver-types.ts';
import type { LifecycleService } from '../../run/driver/lifecycle-types.ts';
import { Timeline } from './timeline.ts';

/** A driver whose services live in a map: enough to check ordering, failure and rollbacks. */
function fakeDriver(calls: string[]) {
  const up = new Map<string, boolean>([
    ['app-1', true],
    ['app-2', true],
  ]);
  const driver = {
    name: 'native',
    services: async () =>
      [...up.entries()].map(([name, isUp]): LifecycleService => ({ name, role: 'app', up: isUp })),
    kill: async (_lab: RunningLab, s: string) => {
      calls.push(`kill ${s}`);
      up.set(s, false);
      return { service: s, detail: `killed ${s}` };
    },
    restart: async (_lab: RunningLab, s: string) => {
      calls.push(`restart ${s}`);
      up.set(s, true);
      return { service: s, detail: `restarted ${s}` };
    },
    applyToxic: async () => {
      throw new LabError('ACTION_UNSUPPORTED', 'no fault proxy here');
    },
  };
  return { driver: driver as unknown as Driver, up };
}

const lab = {} as RunningLab;

describe('Timeline', () => {
  it('runs actions in order at their offsets, stops at the first failure, then rolls back', async () => {
    const calls: string[] = [];
    const { driver, up } = fakeDriver(calls);
    const timeline = new Timeline({ driver, lab }, [
      { atSec: 0, action: { kind: 'kill', service: 'app-1' } },
      { atSec: 0.05, action: { kind: 'kill', service: 'app-2' } },
      {
        atSec: 0.1,
        action: {
          kind: 'apply-toxic',
          hop: 'redis-1',
          toxic: { name: 't', type: 'latency', attributes: {} },
        },
      },
      { atSec: 0.15, action: { kind: 'restart', service: 'app-1' } },
    ]);
    timeline.start(epochNow());
    await timeline.finished();
    expect(calls).toEqual(['kill app-1', 'kill app-2']);
    expect(String(timeline.failure)).toContain('no fault proxy here');
    expect(timeline.events.map((e) => e.ok)).toEqual([true, true, false]);
    expect(timeline.events[1]?.startedSec).toBeGreaterThanOrEqual(0.04);
    expect(await timeline.rollBack()).toBe(0);
    expect(calls).toEqual(['kill app-1', 'kill app-2', 'restart app-2', 'restart app-1']);
    expect([...up.values()]).toEqual([true, true]);
    const rollbacks = timeline.events.filter((e) => e.phase === 'rollback');
    expect(rollbacks.map((e) => e.description)).toEqual(['bring app-2 back', 'bring app-1 back']);
  });

  it('skips the method once aborted, and a rollback already undone does nothing', async () => {
    const calls: string[] = [];
    const { driver } = fakeDriver(calls);
    const controller = new AbortController();
    const timeline = new Timeline(
      { driver, lab },
      [
        { atSec: 0, action: { kind: 'kill', service: 'app-1' } },
        { atSec: 0.02, action: { kind: 'restart', service: 'app-1' } },
        { atSec: 30, action: { kind: 'kill', service: 'app-2' } },
      ],
      { signal: controller.signal },
    );
    timeline.start(epochNow());
    setTimeout(() => controller.abort(), 100);
    await timeline.finished();
    expect(calls).toEqual(['kill app-1', 'restart app-1']);
    await timeline.rollBack();
    expect(calls).toEqual(['kill app-1', 'restart app-1']);
  });

  it('bounds each rollback: one that hangs is recorded as failed and the next still runs', async () => {
    const calls: string[] = [];
    const { driver } = fakeDriver(calls);
    const hanging = {
      ...driver,
      // app-2's restart never settles; app-1's does.
      restart: (l: RunningLab, s: string) => {
        if (s !== 'app-2') return driver.restart(l, s);
        calls.push(`restart ${s}`);
        return new Promise<never>(() => {});
      },
    } as Driver;
    const timeline = new Timeline({ driver: hanging, lab }, [
      { atSec: 0, action: { kind: 'kill', service: 'app-1' } },
      { atSec: 0, action: { kind: 'kill', service: 'app-2' } },
    ]);
    timeline.start(epochNow());
    await timeline.finished();
    expect(await timeline.rollBack(50)).toBe(1);
    expect(calls).toEqual(['kill app-1', 'kill app-2', 'restart app-2', 'restart app-1']);
    const rollbacks = timeline.events.filter((e) => e.phase === 'rollback');
    expect(rollbacks.map((e) => [e.ok, e.detail])).toEqual([
      [false, 'did not finish within 0.05 s'],
      [true, 'done'],
    ]);
  });
});
