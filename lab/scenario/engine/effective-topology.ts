import type { ConsistencyName } from '../../../services/app/src/config.ts';
import type { Topology } from '../../topology/model.ts';
import type { NetworkProfile } from '../../topology/network.ts';
import { networkOf, withNetwork } from '../../topology/network-proxies.ts';
import { validateTopology } from '../../topology/schema.ts';
import type { Scenario, ScenarioVariant } from '../scenario-model.ts';

/** Settings chosen on the command line; they win over the scenario's own. */
export interface TopologyOverrides {
  network?: NetworkProfile;
  consistency?: ConsistencyName;
}

/**
 * The topology one run uses: the catalog's, on the scenario's network profile (or --network), with
 * the variant's consistency and grace (or --consistency). Checked like any topology.
 */
export function effectiveTopology(
  base: Topology,
  scenario: Scenario,
  variant: ScenarioVariant | undefined,
  overrides: TopologyOverrides = {},
): Topology {
  let topology = structuredClone(base);
  const profile = overrides.network ?? scenario.network;
  if (profile && (overrides.network || networkOf(topology).profile === 'loopback')) {
    topology = withNetwork(topology, { profile });
  }
  const consistency = overrides.consistency ?? variant?.consistency;
  if (consistency) topology.consistency = { ...topology.consistency, mode: consistency };
  if (variant?.graceMs !== undefined) {
    topology.consistency = { ...topology.consistency, graceMs: variant.graceMs };
  }
  return validateTopology(topology);
}

/** The variants a scenario runs as (one unnamed run when it has none). */
export function variantsOf(scenario: Scenario): (ScenarioVariant | undefined)[] {
  return scenario.variants && scenario.variants.length > 0 ? scenario.variants : [undefined];
}
