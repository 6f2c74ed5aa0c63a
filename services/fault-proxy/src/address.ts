import { ApiError } from './api-error.ts';

/** A parsed `host:port` ("[::1]:8080", "redis:6379", ":8474"). */
export interface HostPort {
  host: string;
  port: number;
}

/** Parses `host:port`; an empty host means every interface, as Go's net.Listen reads it. */
export function parseHostPort(field: string, value: string): HostPort {
  const match = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (!match || port > 65_535) {
    throw new ApiError(
      'BAD_REQUEST_BODY',
      `${field}: expected host:port, got ${JSON.stringify(value)}`,
    );
  }
  return { host: match[1] ?? match[2] ?? '', port };
}

/** Formats an address the way Go prints a net.Addr: IPv6 hosts in brackets. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
