import { crc32 } from 'node:zlib';

/** Ring points nginx places per unit of `weight` (ngx_http_upstream_update_chash). */
export const NGINX_CHASH_POINTS = 160;

/** nginx's `hash … consistent` ring: sorted point hashes and the `server` name owning each. */
export interface NginxChashRing {
  hashes: Uint32Array;
  servers: string[];
}

/** host and port of a `server` name as nginx splits it: at the last ':' followed only by digits. */
function hostAndPort(server: string): [string, string] {
  if (server.startsWith('unix:')) return [server.slice(5), ''];
  const match = /^(.*):([0-9]*)$/.exec(server);
  return match ? [match[1] ?? '', match[2] ?? ''] : [server, ''];
}

/**
 * The ring nginx builds for `servers` (the text of each `server` line, e.g. `127.0.0.1:3001` or
 * `app-1:3000`, weight 1): 160 points each, point j = crc32(host "\0" port LE32(point j−1)), the
 * chain starting at 0, as Cache::Memcached::Fast does; equal hashes keep one point.
 */
export function nginxChashRing(servers: readonly string[]): NginxChashRing {
  const points: { hash: number; server: string }[] = [];
  for (const server of servers) {
    const [host, port] = hostAndPort(server);
    const base = Buffer.from(`${host}\0${port}`, 'latin1');
    const input = Buffer.alloc(base.length + 4);
    base.copy(input);
    let previous = 0;
    for (let j = 0; j < NGINX_CHASH_POINTS; j++) {
      input.writeUInt32LE(previous, base.length);
      previous = crc32(input);
      points.push({ hash: previous, server });
    }
  }
  points.sort((a, b) => a.hash - b.hash);
  const kept = points.filter((p, i) => i === 0 || p.hash !== points[i - 1]?.hash);
  return { hashes: Uint32Array.from(kept, (p) => p.hash), servers: kept.map((p) => p.server) };
}

/** The server nginx picks for `key` when every server is up: the first point ≥ crc32(key), wrapping. */
export function nginxChashOwner(ring: NginxChashRing, key: string): string {
  const hash = crc32(key);
  let low = 0;
  let high = ring.hashes.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((ring.hashes[mid] ?? 0) < hash) low = mid + 1;
    else high = mid;
  }
  return ring.servers[low % ring.servers.length] ?? '';
}

/**
 * Share of `keys` whose server differs between a ring over `before` and one over `after`: what
 * nginx's consistent hashing moves when the upstream list changes.
 */
export function nginxChashMovedShare(
  keys: readonly string[],
  before: readonly string[],
  after: readonly string[],
): number {
  if (keys.length === 0) return 0;
  const from = nginxChashRing(before);
  const to = nginxChashRing(after);
  const moved = keys.filter((key) => nginxChashOwner(from, key) !== nginxChashOwner(to, key));
  return moved.length / keys.length;
}
