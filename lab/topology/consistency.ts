import { CONSISTENCY_MODES, type ConsistencyName } from '../../services/app/src/config.ts';
import { LabError } from '../lab-errors.ts';
import type { Topology } from './model.ts';
import { validateTopology } from './schema.ts';

/** True when `name` is a consistency mode the app accepts. */
export function isConsistencyName(name: string): name is ConsistencyName {
  return (CONSISTENCY_MODES as readonly string[]).includes(name);
}

/** Parses `ttl,delete,outbox+lease` into modes; TOPOLOGY_INVALID naming the setting on an unknown one. */
export function parseConsistencyList(value: string): ConsistencyName[] {
  const names = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (names.length === 0) {
    throw new LabError('TOPOLOGY_INVALID', 'consistency: expected at least one mode');
  }
  for (const name of names) {
    if (!isConsistencyName(name)) {
      throw new LabError(
        'TOPOLOGY_INVALID',
        `consistency: unknown mode '${name}'; valid: ${CONSISTENCY_MODES.join(', ')}`,
      );
    }
  }
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated)
    throw new LabError('TOPOLOGY_INVALID', `consistency: '${repeated}' is listed twice`);
  return names as ConsistencyName[];
}

/** `topology` running consistency `mode` (grace as the catalog set it); validated like any topology. */
export function withConsistency(topology: Topology, mode: ConsistencyName): Topology {
  if (topology.consistency.mode === mode) return topology;
  return validateTopology({ ...topology, consistency: { ...topology.consistency, mode } });
}

/** The label of one run of a product `--topologies × --consistency`: `global [outbox+lease]`. */
export function consistencyRunLabel(name: string, mode: ConsistencyName): string {
  return `${name} [${mode}]`;
}
