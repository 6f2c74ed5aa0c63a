import { LabError } from '../../lab-errors.ts';

/** A proxy as toxiproxy's API returns it. */
export interface ProxyInfo {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: { name: string; type: string; stream: string; attributes: Record<string, number> }[];
}

async function call(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  allowNotFound = false,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new LabError('UP_FAILED', `fault proxy ${method} ${path} failed`, { cause: error });
  }
  const text = await response.text();
  if (allowNotFound && response.status === 404) return undefined;
  if (!response.ok) {
    throw new LabError('UP_FAILED', `fault proxy ${method} ${path}: ${response.status} ${text}`);
  }
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** A minimal client of the toxiproxy API (the fault proxy, or the real toxiproxy). */
export function faultProxyApi(baseUrl: string) {
  return {
    /** POST /populate: creates the proxies; returns them with their bound listen addresses. */
    async populate(
      proxies: { name: string; listen: string; upstream: string }[],
    ): Promise<ProxyInfo[]> {
      return ((await call(baseUrl, 'POST', '/populate', proxies)) as { proxies: ProxyInfo[] })
        .proxies;
    },
    /** POST /proxies/{name}/toxics. */
    async addToxic(proxy: string, toxic: unknown): Promise<void> {
      await call(baseUrl, 'POST', `/proxies/${encodeURIComponent(proxy)}/toxics`, toxic);
    },
    /** DELETE /proxies/{name}/toxics/{toxic}; a toxic that is not there is fine. */
    async removeToxic(proxy: string, toxic: string): Promise<void> {
      const path = `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(toxic)}`;
      await call(baseUrl, 'DELETE', path, undefined, true);
    },
    /** DELETE /proxies/{name}; a proxy that is not there is fine. */
    async deleteProxy(proxy: string): Promise<void> {
      await call(baseUrl, 'DELETE', `/proxies/${encodeURIComponent(proxy)}`, undefined, true);
    },
    /** GET /proxies. */
    async proxies(): Promise<Record<string, ProxyInfo>> {
      return (await call(baseUrl, 'GET', '/proxies')) as Record<string, ProxyInfo>;
    },
  };
}

/** The port of a `host:port` listen address. */
export function listenPort(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(':') + 1));
}
