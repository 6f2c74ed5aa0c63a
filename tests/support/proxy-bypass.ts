import { expect } from 'vitest';
import type { NativeLab } from '../../lab/run/driver/native/driver.ts';
import type { Topology } from '../../lab/topology/model.ts';
import { faultProxies } from '../../lab/topology/network-proxies.ts';
import { establishedSockets } from './process-sockets.ts';

/**
 * From the kernel's socket tables: no app server of `lab` talks to a Redis node or Postgres but
 * through a fault proxy; its L2 uses the shared redis-N proxies, and, when `topology` has a bus,
 * its bus subscriber uses one of its own bus proxies and none of another server's.
 */
export async function expectAppsThroughProxies(lab: NativeLab, topology: Topology): Promise<void> {
  const network = lab.services.network;
  if (!network) throw new Error(`${topology.name} runs without a fault proxy`);
  const redisPorts = new Set((lab.services.redis?.nodes ?? []).map((n) => n.port));
  const specs = faultProxies(topology, { app: () => '', redis: () => '', postgres: '' });
  const portsOf = (pick: (bus: { app: string } | undefined) => boolean): number[] =>
    specs
      .filter((p) => p.hop === 'app-redis' && pick(p.bus))
      .flatMap((p) => network.ports.get(p.name) ?? []);
  const hasBus = specs.some((p) => p.bus !== undefined);
  for (const app of lab.services.apps) {
    const remote = (await establishedSockets(app.pid)).map((s) => s.remotePort);
    const through = (ports: number[]) => ports.filter((port) => remote.includes(port));
    expect(remote.filter((port) => redisPorts.has(port))).toEqual([]);
    expect(remote).not.toContain(lab.services.postgres?.port);
    expect(remote).toContain(network.ports.get('postgres'));
    expect(through(portsOf((bus) => bus === undefined)).length).toBeGreaterThan(0);
    expect(through(portsOf((bus) => bus?.app === app.name))).toHaveLength(hasBus ? 1 : 0);
    expect(through(portsOf((bus) => bus !== undefined && bus.app !== app.name))).toEqual([]);
  }
}
