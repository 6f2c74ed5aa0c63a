import { LabError } from '../../../lab-errors.ts';
import { composeProxies } from '../../../render/compose/fault-proxy-service.ts';
import { HOPS } from '../../../topology/network.ts';
import { faultProxyApi } from '../../processes/fault-proxy-api.ts';
import type { RunningLab } from '../driver-types.ts';
import type { LifecycleOutcome, ToxicSpec } from '../lifecycle-types.ts';
import { faultProxyUrl } from './network-setup.ts';
import { readRunRecord } from './record.ts';

async function apiUrl(lab: RunningLab): Promise<string> {
  const project = (await readRunRecord(lab.state.runDir)).project.name;
  try {
    return await faultProxyUrl(project);
  } catch (error) {
    throw new LabError(
      'ACTION_UNSUPPORTED',
      `${lab.topology.name} runs on loopback, without the fault proxy: choose a network profile (--network lan, same-az or cross-az) to put a proxy on every hop`,
      { cause: error },
    );
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
  const api = faultProxyApi(await apiUrl(lab));
  for (const proxy of proxies) {
    await api.addToxic(proxy, { stream: 'downstream', toxicity: 1, ...toxic });
  }
  const attributes = Object.entries(toxic.attributes)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return { service: hop, detail: `${toxic.type} ${attributes} on ${proxies.join(', ')}` };
}

/** Removes toxic `name` from the compose fault proxy in front of `hop`; a missing one is fine. */
export async function removeComposeToxic(
  lab: RunningLab,
  hop: string,
  name: string,
): Promise<LifecycleOutcome> {
  const proxies = proxiesOf(lab, hop);
  const url = await apiUrl(lab);
  for (const proxy of proxies) {
    const path = `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(name)}`;
    const res = await fetch(`${url}${path}`, {
      method: 'DELETE',
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok && res.status !== 404) {
      throw new LabError(
        'ACTION_FAILED',
        `fault proxy DELETE ${path}: ${res.status} ${await res.text()}`,
      );
    }
  }
  return { service: hop, detail: `removed toxic ${name} from ${proxies.join(', ')}` };
}
