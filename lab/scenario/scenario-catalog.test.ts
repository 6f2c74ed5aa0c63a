import { describe, expect, it } from 'vitest';
import { isLabError } from '../lab-errors.ts';
import { getTopology } from '../topology/catalog.ts';
import {
  blockedBy,
  getScenario,
  notApplicable,
  SCENARIOS,
  scenarioNames,
} from './scenario-catalog.ts';
import { validateScenario } from './scenario-schema.ts';

const codeOf = (work: () => unknown): string | undefined => {
  try {
    work();
    return undefined;
  } catch (error) {
    return isLabError(error) ? error.code : String(error);
  }
};

describe('the scenario catalog', () => {
  it('holds every scenario of the brief, each with its question, under a unique name', () => {
    expect(scenarioNames()).toEqual([
      'cold-start',
      'scale-out',
      'scale-in',
      'flush-stampede',
      'hot-key',
      'app-server-kill',
      'redis-kill',
      'redis-restart',
      'cluster-failover',
      'redis-slow',
      'bus-partition',
      'postgres-down',
      'network-degrade',
    ]);
    for (const s of SCENARIOS) expect(s.question.endsWith('?')).toBe(true);
  });

  it('only lists default topologies the scenario applies to', () => {
    for (const s of SCENARIOS) {
      for (const name of s.defaultTopologies)
        expect(notApplicable(s, getTopology(name))).toBeUndefined();
    }
    expect(notApplicable(getScenario('cluster-failover'), getTopology('global'))).toContain(
      'cluster',
    );
  });

  it('blocks none, and puts the fault-proxy scenarios on a network profile', () => {
    expect(SCENARIOS.filter((s) => blockedBy(s)).map((s) => s.name)).toEqual([]);
    const proxied = SCENARIOS.filter((s) => s.network).map((s) => [s.name, s.network]);
    expect(proxied).toEqual([
      ['redis-slow', 'lan'],
      ['bus-partition', 'lan'],
      ['network-degrade', 'same-az'],
    ]);
  });

  it('cuts the bus of app-2 alone, with a stale-read hypothesis, under outbox and delete', () => {
    const s = getScenario('bus-partition');
    expect(s.timeline.map((step) => [step.atSec, step.action])).toEqual([
      [
        8,
        {
          kind: 'apply-toxic',
          hop: 'bus-app-2',
          toxic: { name: 'cut', type: 'timeout', attributes: { timeout: 0 } },
        },
      ],
      [13, { kind: 'remove-toxic', hop: 'bus-app-2', name: 'cut' }],
    ]);
    expect(s.load.workload).toBe('write-heavy');
    expect(s.hypothesis?.maxStaleReadRate).toBe(0.02);
    expect(s.variants?.map((v) => v.consistency)).toEqual(['outbox+lease', 'delete']);
    expect(notApplicable(s, getTopology('global'))).toContain('two-tier');
  });

  it('runs flush-stampede with and without leases, postgres-down with and without grace', () => {
    expect(getScenario('flush-stampede').variants).toEqual([
      { label: 'single-flight only', consistency: 'delete' },
      { label: 'with leases', consistency: 'lease' },
    ]);
    expect(getScenario('postgres-down').variants?.map((v) => v.graceMs)).toEqual([0, 60_000]);
  });

  it('rejects unknown names and timelines out of order or outside the load', () => {
    expect(codeOf(() => getScenario('nope'))).toBe('SCENARIO_UNKNOWN');
    const s = getScenario('app-server-kill');
    const reversed = { ...s, timeline: [...s.timeline].reverse() };
    expect(codeOf(() => validateScenario(reversed))).toBe('USAGE');
    const late = { ...s, timeline: [{ atSec: 99, action: { kind: 'kill', service: 'app-1' } }] };
    expect(codeOf(() => validateScenario(late))).toBe('USAGE');
    const badService = { ...s, timeline: [{ atSec: 10, action: { kind: 'kill', service: 'x' } }] };
    expect(codeOf(() => validateScenario(badService))).toBe('USAGE');
  });
});
