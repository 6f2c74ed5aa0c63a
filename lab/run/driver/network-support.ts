import { LabError } from '../../lab-errors.ts';
import type { Topology } from '../../topology/model.ts';
import { needsProxies } from '../../topology/network.ts';
import { networkOf } from '../../topology/network-proxies.ts';

/**
 * Refuses a network profile a driver cannot place proxies for (USAGE, naming the native driver),
 * rather than running the topology on loopback while results say otherwise.
 */
export function refuseNetworkProfile(topology: Topology, driver: string): void {
  const network = networkOf(topology);
  if (!needsProxies(network)) return;
  throw new LabError(
    'USAGE',
    `network ${network.profile} needs a fault proxy on every hop, which the ${driver} driver does not place yet; use --driver native (or --network loopback)`,
  );
}
