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

  it('blocks only bus-partition, and puts the fault-proxy scenarios on a network profile', () => {
    const blocked = SCENARIOS.filter((s) => blockedBy(s)).map((s) => s.name);
    expect(blocked).toEqual(['bus-partition']);
    expect(blockedBy(getScenario('bus-partition'))).toContain('one proxy per Redis node');
    const proxied = SCENARIOS.filter((s) => s.network).map((s) => [s.name, s.network]);
    expect(proxied).toEqual([
      ['redis-slow', 'lan'],
      ['bus-partition', 'lan'],
      ['network-degrade', 'same-az'],
    ]);
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
