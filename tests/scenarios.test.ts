import { describe, expect, it } from 'vitest';
import type { ScenarioRunRecord } from '../lab/report/scenario-results-schema.ts';
import { nativeDriver } from '../lab/run/driver/native/driver.ts';
import { interruptibly } from '../lab/run/interruptibly.ts';
import { freePort, isPortFree } from '../lab/run/processes/ports.ts';
import { liveProcesses } from '../lab/run/processes/process-registry.ts';
import { runScenario } from '../lab/scenario/engine/run-scenario.ts';
import { getScenario } from '../lab/scenario/scenario-catalog.ts';
import type { Scenario, TimedAction } from '../lab/scenario/scenario-model.ts';
import { validateScenario } from '../lab/scenario/scenario-schema.ts';
import { getTopology } from '../lab/topology/catalog.ts';

// Short versions of catalog scenarios: a few seconds of load each, 1,000 profiles.
function short(name: string, timeline: TimedAction[], durationSec = 9): Scenario {
  const s = getScenario(name);
  return validateScenario({
    ...s,
    load: { ...s.load, keyCount: 1_000, warmupSec: 2, durationSec },
    timeline,
  });
}

async function run(scenario: Scenario, topology: string, httpPort?: number) {
  return runScenario({ driver: nativeDriver, topology: getTopology(topology), scenario, httpPort });
}

const failedOf = (r: ScenarioRunRecord) => r.figures?.requestsFailed;

describe('scenarios through the native driver', () => {
  it('app-server-kill through nginx keeps availability ≥ 99.9 %', {
    timeout: 120_000,
  }, async () => {
    const s = short('app-server-kill', [
      { atSec: 4, action: { kind: 'kill', service: 'app-2' } },
      { atSec: 7, action: { kind: 'restart', service: 'app-2' } },
    ]);
    const r = await run(s, 'local');
    expect(r.status).toBe('completed');
    expect(r.events.filter((e) => e.phase === 'action').map((e) => e.ok)).toEqual([true, true]);
    // Requests after the warm-up: the ones availability is computed over.
    const measured = s.load.rate * (s.load.durationSec - s.load.warmupSec);
    expect(r.figures?.requests).toBeGreaterThan(0.95 * measured);
    expect(r.figures?.requests).toBeLessThanOrEqual(measured);
    expect(r.figures?.availability).toBeGreaterThanOrEqual(0.999);
    expect(liveProcesses()).toEqual([]);
  });

  it('redis-kill in global produces no 5xx: reads fall back to Postgres', {
    timeout: 120_000,
  }, async () => {
    const s = short('redis-kill', [
      { atSec: 4, action: { kind: 'kill', service: 'redis-1' } },
      { atSec: 7, action: { kind: 'restart', service: 'redis-1' } },
    ]);
    const r = await run(s, 'global');
    expect(r.status).toBe('completed');
    const fivexx = r.series.reduce((n, x) => n + x.errors.http5xx, 0);
    expect(fivexx).toBe(0);
    expect(failedOf(r)).toBe(0);
    const during = r.series.filter((x) => x.t >= 5 && x.t < 7);
    expect(during.every((x) => x.reads.l2 === 0 && x.reads.bypass > 0)).toBe(true);
    expect(r.figures?.peakDbFactor ?? 0).toBeGreaterThan(1);
  });

  it("scale-in on local-hash moves keys within 0.05 of simulate's prediction", {
    timeout: 120_000,
  }, async () => {
    const s = short('scale-in', [{ atSec: 5, action: { kind: 'remove-app-server' } }], 8);
    const r = await run(s, 'local-hash');
    expect(r.status).toBe('completed');
    const k = r.figures?.keyMovement;
    expect(k).toMatchObject({ scheme: 'nginx-chash', from: 3, to: 2 });
    expect(Math.abs((k?.measured ?? 0) - (k?.predicted ?? 1))).toBeLessThanOrEqual(0.05);
    expect(r.events.at(-1)).toMatchObject({ phase: 'rollback', ok: true });
  });

  it('a scenario failing half-way still runs its rollbacks and leaves nothing behind', {
    timeout: 120_000,
  }, async () => {
    const s = short(
      'app-server-kill',
      [
        { atSec: 4, action: { kind: 'kill', service: 'app-2' } },
        {
          atSec: 5,
          action: {
            kind: 'apply-toxic',
            hop: 'redis-1',
            toxic: { name: 'slow', type: 'latency', attributes: { latency: 20 } },
          },
        },
      ],
      6,
    );
    const httpPort = await freePort();
    const r = await run(s, 'local', httpPort);
    expect(r.status).toBe('failed');
    expect(r.error).toContain('fault proxy');
    const rollbacks = r.events.filter((e) => e.phase === 'rollback');
    expect(rollbacks).toEqual([
      expect.objectContaining({ description: 'bring app-2 back', ok: true }),
    ]);
    expect(liveProcesses()).toEqual([]);
    expect(await isPortFree(httpPort)).toBe(true);
  });
});

describe('an interrupted scenario (Ctrl-C)', () => {
  it('on a real SIGINT, rolls back first (every rollback succeeds), then takes the lab down', {
    timeout: 120_000,
  }, async () => {
    // Its rollback needs the lab whole: app-3 started again and nginx reloaded to use it.
    const s = short('scale-in', [{ atSec: 4, action: { kind: 'remove-app-server' } }], 30);
    const httpPort = await freePort();
    const stages: string[] = [];
    // The process layer's own SIGINT handler must leave the processes to the rollbacks and the down.
    const running = interruptibly('rolling back and taking the topology down', (signal) =>
      runScenario({
        driver: nativeDriver,
        topology: getTopology('local'),
        scenario: s,
        httpPort,
        signal,
        onStage: (stage) => stages.push(stage),
        onEvent: (event) => {
          if (event.kind === 'remove-app-server') {
            setTimeout(() => process.kill(process.pid, 'SIGINT'), 1_000);
          }
        },
      }),
    );
    const error = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'INTERRUPTED' });
    const rollbacks = (error as { details?: { rollbacks?: unknown[] } }).details?.rollbacks;
    expect(rollbacks).toEqual([
      expect.objectContaining({ description: 'bring app-3 back into rotation', ok: true }),
    ]);
    expect(stages.slice(-2)).toEqual(['rollbacks', 'down local']);
    expect(liveProcesses()).toEqual([]);
    expect(await isPortFree(httpPort)).toBe(true);
  });

  it('stops the load, runs the rollbacks, takes the topology down, then says INTERRUPTED', {
    timeout: 120_000,
  }, async () => {
    const s = short(
      'app-server-kill',
      [{ atSec: 4, action: { kind: 'kill', service: 'app-2' } }],
      30,
    );
    const controller = new AbortController();
    const httpPort = await freePort();
    let loadStarted = 0;
    const running = runScenario({
      driver: nativeDriver,
      topology: getTopology('local'),
      scenario: s,
      httpPort,
      signal: controller.signal,
      onStage: (stage) => {
        if (stage.startsWith('load')) loadStarted = performance.now();
      },
      onEvent: (event) => {
        if (event.kind === 'kill') setTimeout(() => controller.abort(), 1_000);
      },
    });
    const error = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    const elapsedSec = (performance.now() - loadStarted) / 1000;
    expect(error).toMatchObject({ code: 'INTERRUPTED' });
    const rollbacks = (error as { details?: { rollbacks?: unknown[] } }).details?.rollbacks;
    expect(rollbacks).toEqual([
      expect.objectContaining({ description: 'bring app-2 back', ok: true }),
    ]);
    expect(elapsedSec).toBeLessThan(20);
    expect(liveProcesses()).toEqual([]);
    expect(await isPortFree(httpPort)).toBe(true);
  });
});
