import { LabError } from '../../../lab-errors.ts';
import { composeProxies } from '../../../render/compose/fault-proxy-service.ts';
import { HOPS } from '../../../topology/network.ts';
import { faultProxies, proxiesTargeted, withNetwork } from '../../../topology/network-proxies.ts';
import type { RunningLab } from '../driver-types.ts';
import type { LifecycleOutcome, ToxicSpec } from '../lifecycle-types.ts';
import { addToxicTo, noFaultProxy, removeToxicFrom } from '../toxic-steps.ts';
import { appIndexOf } from './app-proxies.ts';
import { appsInRotation } from './app-rotation.ts';
import { faultProxyUrl } from './network-setup.ts';
import { readRunRecord } from './record.ts';

async function apiUrl(lab: RunningLab): Promise<string> {
  const project = (await readRunRecord(lab.state.runDir)).project.name;
  try {
    return await faultProxyUrl(project);
  } catch (error) {
    throw noFaultProxy(lab.topology.name, error);
  }
}

/**
 * The proxies `hop` names: a hop, one proxy (app-2, redis-1 with its bus proxies, postgres) or one
 * server's bus (bus-app-2). Only servers in nginx's rotation have proxies (added ones included).
 */
async function proxiesOf(lab: RunningLab, hop: string): Promise<string[]> {
  const rotation = await appsInRotation(lab);
  const appServers = Math.max(lab.topology.appServers, ...rotation.map((n) => appIndexOf(n) + 1));
  const upstreams = { app: () => '', redis: () => '', postgres: '' };
  const fleet = withNetwork({ ...lab.topology, appServers }, { profile: 'lan' });
  const specs = faultProxies(fleet, upstreams).filter(
    (p) =>
      (p.hop !== 'nginx-app' || rotation.includes(p.name)) &&
      (!p.bus || rotation.includes(p.bus.app)),
  );
  const named = proxiesTargeted(specs, hop);
  if (named !== undefined) return named;
  const names = composeProxies(lab.topology)
    .map((p) => p.name)
    .join(', ');
  throw new LabError(
    'ACTION_FAILED',
    `no fault proxy or hop '${hop}'; proxies: ${names}; hops: ${HOPS.join(', ')}`,
  );
}

/** Adds `toxic` to the compose fault proxy in front of `hop` (one proxy, or every proxy of a hop). */
export async function applyComposeToxic(
  lab: RunningLab,
  hop: string,
  toxic: ToxicSpec,
): Promise<LifecycleOutcome> {
  const proxies = await proxiesOf(lab, hop);
  return addToxicTo(await apiUrl(lab), hop, proxies, toxic);
}

/** Removes toxic `name` from the compose fault proxy in front of `hop`; a missing one is fine. */
export async function removeComposeToxic(
  lab: RunningLab,
  hop: string,
  name: string,
): Promise<LifecycleOutcome> {
  const proxies = await proxiesOf(lab, hop);
  return removeToxicFrom(await apiUrl(lab), hop, proxies, name);
}
