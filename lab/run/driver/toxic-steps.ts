import { LabError } from '../../lab-errors.ts';
import { faultProxyApi } from '../processes/fault-proxy-api.ts';
import type { LifecycleOutcome, ToxicSpec } from './lifecycle-types.ts';

/** The error for a toxic asked of a topology that runs without the fault proxy. */
export function noFaultProxy(topology: string, cause?: unknown): LabError {
  return new LabError(
    'ACTION_UNSUPPORTED',
    `${topology} runs on loopback, without the fault proxy: choose a network profile (--network lan, same-az or cross-az) to put a proxy on every hop`,
    cause === undefined ? undefined : { cause },
  );
}

/** Adds `toxic` to each of `proxies` (the hop `hop` names) through the proxy API at `apiUrl`. */
export async function addToxicTo(
  apiUrl: string,
  hop: string,
  proxies: readonly string[],
  toxic: ToxicSpec,
): Promise<LifecycleOutcome> {
  const api = faultProxyApi(apiUrl);
  for (const proxy of proxies) {
    await api.addToxic(proxy, { stream: 'downstream', toxicity: 1, ...toxic });
  }
  const attributes = Object.entries(toxic.attributes)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return { service: hop, detail: `${toxic.type} ${attributes} on ${proxies.join(', ')}` };
}

/** Removes toxic `name` from each of `proxies`; a proxy without it is fine. */
export async function removeToxicFrom(
  apiUrl: string,
  hop: string,
  proxies: readonly string[],
  name: string,
): Promise<LifecycleOutcome> {
  const api = faultProxyApi(apiUrl);
  for (const proxy of proxies) {
    try {
      await api.removeToxic(proxy, name);
    } catch (error) {
      throw new LabError('ACTION_FAILED', `removing toxic ${name} from ${proxy}`, { cause: error });
    }
  }
  return { service: hop, detail: `removed toxic ${name} from ${proxies.join(', ')}` };
}
