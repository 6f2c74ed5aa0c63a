import { describe, expect, it } from 'vitest';
import {
  NGINX_CHASH_POINTS,
  nginxChashMovedShare,
  nginxChashOwner,
  nginxChashRing,
} from './nginx-chash.ts';

const servers = ['127.0.0.1:41001', '127.0.0.1:41002', '127.0.0.1:41003'];
const keys = Array.from({ length: 20_000 }, (_, i) => String(i + 1));

describe("nginx's consistent-hash ring", () => {
  it('places 160 sorted points per server', () => {
    const ring = nginxChashRing(servers);
    expect(ring.hashes).toHaveLength(3 * NGINX_CHASH_POINTS);
    expect([...ring.hashes]).toEqual([...ring.hashes].sort((a, b) => a - b));
    for (const s of servers) {
      expect(ring.servers.filter((x) => x === s)).toHaveLength(NGINX_CHASH_POINTS);
    }
  });

  it('gives each of three servers about a third of the keys (±0.1)', () => {
    const ring = nginxChashRing(servers);
    for (const s of servers) {
      const share = keys.filter((k) => nginxChashOwner(ring, k) === s).length / keys.length;
      expect(Math.abs(share - 1 / 3)).toBeLessThan(0.1);
    }
  });

  it("moves only the removed server's keys, and all of them", () => {
    const before = nginxChashRing(servers);
    const after = nginxChashRing(servers.slice(0, 2));
    const removed = keys.filter((k) => nginxChashOwner(before, k) === servers[2]);
    for (const k of keys) {
      if (nginxChashOwner(before, k) !== servers[2]) {
        expect(nginxChashOwner(after, k)).toBe(nginxChashOwner(before, k));
      }
    }
    expect(nginxChashMovedShare(keys, servers, servers.slice(0, 2))).toBe(
      removed.length / keys.length,
    );
  });

  it('hashes the address text, so a different port is a different ring', () => {
    const other = nginxChashRing(['127.0.0.1:41001', '127.0.0.1:41002', '127.0.0.1:41004']);
    expect([...other.hashes]).not.toEqual([...nginxChashRing(servers).hashes]);
  });

  it('wraps a key hashed past the last point to the first point', () => {
    const ring = { hashes: Uint32Array.from([10, 20]), servers: ['a', 'b'] };
    // crc32('1') = 0x83dcefb7, above both points
    expect(nginxChashOwner(ring, '1')).toBe('a');
  });

  it('moves nothing when the upstream list is unchanged, or when there are no keys', () => {
    expect(nginxChashMovedShare(keys.slice(0, 500), servers, [...servers])).toBe(0);
    expect(nginxChashMovedShare([], servers, servers.slice(0, 1))).toBe(0);
  });
});
