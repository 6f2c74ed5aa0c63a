import { LabError } from '../../../lab-errors.ts';
import { HOPS, type Hop } from '../../../topology/network.ts';
import { faultProxies } from '../../../topology/network-proxies.ts';
import { faultProxyApi } from '../../processes/fault-proxy-api.ts';
import type { RunningLab } from '../driver-types.ts';
import type { LifecycleOutcome, ToxicSpec } from '../lifecycle-types.ts';
import { contextOf } from './lab-context.ts';
import type { UpContext } from './up.ts';

function proxyUrl(lab: RunningLab, ctx: UpContext): string {
  if (!ctx.network) {
    throw new LabError(
      'ACTION_UNSUPPORTED',
      `${lab.topology.name} runs on loopback, without the fault proxy: choose a network profile (--network lan, same-az or cross-az) to put a proxy on every hop`,
    );
  }
  return ctx.network.handle.url;
}

/** The proxies `hop` names: one proxy (app-2, redis-1, postgres) or every proxy of a hop (app-redis…). */
function proxiesOf(ctx: UpContext, hop: string): string[] {
  const known = [...(ctx.network?.ports.keys() ?? [])];
  if ((HOPS as readonly string[]).includes(hop)) {
    const upstreams = { app: () => '', redis: () => '', postgres: '' };
    const names = faultProxies(ctx.topology, upstreams)
      .filter((p) => p.hop === (hop as Hop))
      .map((p) => p.name);
    return known.filter(
      (name) => names.includes(name) || (hop === 'nginx-app' && /^app-\d+$/.test(name)),
    );
  }
  if (known.includes(hop)) return [hop];
  throw new LabError(
    'ACTION_FAILED',
    `no fault proxy or hop '${hop}'; proxies: ${known.join(', ')}; hops: ${HOPS.join(', ')}`,
  );
}

/** Adds `toxic` to the proxy (or every proxy of the hop) `hop` names. */
export async function applyNativeToxic(
  lab: RunningLab,
  hop: string,
  toxic: ToxicSpec,
): Promise<LifecycleOutcome> {
  const ctx = contextOf(lab);
  const api = faultProxyApi(proxyUrl(lab, ctx));
  const proxies = proxiesOf(ctx, hop);
  for (const proxy of proxies) {
    await api.addToxic(proxy, { stream: 'downstream', toxicity: 1, ...toxic });
  }
  const attributes = Object.entries(toxic.attributes)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return { service: hop, detail: `${toxic.type} ${attributes} on ${proxies.join(', ')}` };
}

/** Removes toxic `name` from the proxy (or every proxy of the hop) `hop` names; a missing one is fine. */
export async function removeNativeToxic(
  lab: RunningLab,
  hop: string,
  name: string,
): Promise<LifecycleOutcome> {
  const ctx = contextOf(lab);
  const url = proxyUrl(lab, ctx);
  const proxies = proxiesOf(ctx, hop);
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
