import { LabError } from '../../../lab-errors.ts';
import { composeProxies } from '../../../render/compose/fault-proxy-service.ts';
import { HOPS } from '../../../topology/network.ts';
import type { RunningLab } from '../driver-types.ts';
import type { LifecycleOutcome, ToxicSpec } from '../lifecycle-types.ts';
import { addToxicTo, noFaultProxy, removeToxicFrom } from '../toxic-steps.ts';
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

/** The proxies `hop` names: one proxy (app-2, redis-1, postgres) or every proxy of a hop (app-redis…). */
function proxiesOf(lab: RunningLab, hop: string): string[] {
  const proxies = composeProxies(lab.topology);
  if ((HOPS as readonly string[]).includes(hop)) {
    return proxies.filter((p) => p.hop === hop).map((p) => p.name);
  }
  if (proxies.some((p) => p.name === hop)) return [hop];
  const names = proxies.map((p) => p.name).join(', ');
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
  const proxies = proxiesOf(lab, hop);
  return addToxicTo(await apiUrl(lab), hop, proxies, toxic);
}

/** Removes toxic `name` from the compose fault proxy in front of `hop`; a missing one is fine. */
export async function removeComposeToxic(
  lab: RunningLab,
  hop: string,
  name: string,
): Promise<LifecycleOutcome> {
  const proxies = proxiesOf(lab, hop);
  return removeToxicFrom(await apiUrl(lab), hop, proxies, name);
}
