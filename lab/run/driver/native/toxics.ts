import { LabError } from '../../../lab-errors.ts';
import { HOPS } from '../../../topology/network.ts';
import { faultProxies, proxiesTargeted } from '../../../topology/network-proxies.ts';
import type { RunningLab } from '../driver-types.ts';
import type { LifecycleOutcome, ToxicSpec } from '../lifecycle-types.ts';
import { addToxicTo, noFaultProxy, removeToxicFrom } from '../toxic-steps.ts';
import { contextOf } from './lab-context.ts';
import type { UpContext } from './up.ts';

function proxyUrl(lab: RunningLab, ctx: UpContext): string {
  if (!ctx.network) throw noFaultProxy(lab.topology.name);
  return ctx.network.handle.url;
}

/**
 * The running proxies `hop` names: a hop, one proxy (app-2, redis-1 with its bus proxies, postgres)
 * or one server's bus (bus-app-2). Servers added after `up` count, with their proxies.
 */
function proxiesOf(ctx: UpContext, hop: string): string[] {
  const known = [...(ctx.network?.ports.keys() ?? [])];
  const upstreams = { app: () => '', redis: () => '', postgres: '' };
  const servers = Math.max(ctx.topology.appServers, ctx.apps.length);
  const specs = faultProxies({ ...ctx.topology, appServers: servers }, upstreams);
  const named = proxiesTargeted(specs, hop)?.filter((name) => known.includes(name)) ?? [];
  if (named.length > 0 || (HOPS as readonly string[]).includes(hop)) return named;
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
  return addToxicTo(proxyUrl(lab, ctx), hop, proxiesOf(ctx, hop), toxic);
}

/** Removes toxic `name` from the proxy (or every proxy of the hop) `hop` names; a missing one is fine. */
export async function removeNativeToxic(
  lab: RunningLab,
  hop: string,
  name: string,
): Promise<LifecycleOutcome> {
  const ctx = contextOf(lab);
  return removeToxicFrom(proxyUrl(lab, ctx), hop, proxiesOf(ctx, hop), name);
}
