import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { renderNginxConfig } from '../lab/render/nginx/render-nginx.ts';
import type { NativeLab } from '../lab/run/driver/native/driver.ts';
import { nginxBin } from '../lab/run/processes/binaries.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import { CATALOG } from '../lab/topology/catalog.ts';
import { profileKey } from '../services/app/src/cache/keys.ts';
import { withNativeLab } from './support/native-lab.ts';

const SEED_USERS = 300;
const TOPOLOGY_TIMEOUT_MS = 90_000;

interface Read {
  status: number;
  servedBy: string;
  cache: string;
  version: number;
}

async function read(base: string, id: number): Promise<Read> {
  const res = await fetch(`${base}/profiles/${id}`, { signal: AbortSignal.timeout(5_000) });
  await res.arrayBuffer();
  const header = (name: string): string => res.headers.get(name) ?? '';
  const version = Number(header('x-profile-version'));
  return { status: res.status, servedBy: header('x-served-by'), cache: header('x-cache'), version };
}

async function reads(base: string, ids: readonly number[]): Promise<Read[]> {
  const out: Read[] = [];
  for (const id of ids) out.push(await read(base, id));
  return out;
}

/** Brings `name` up on free ports, runs `check`, brings it down and proves nothing is left. */
function withLab(name: string, check: (lab: NativeLab) => Promise<void>): Promise<void> {
  return withNativeLab(name, { seedUsers: SEED_USERS }, check);
}

/** Every server that answered `id` more than once answered HIT-L1 after its first answer. */
function expectRepeatsHitL1(results: readonly Read[]): void {
  const seen = new Set<string>();
  let repeats = 0;
  for (const r of results) {
    expect(r.status).toBe(200);
    if (seen.has(r.servedBy)) {
      expect(r.cache, `repeat on ${r.servedBy}`).toBe('HIT-L1');
      repeats++;
    } else {
      seen.add(r.servedBy);
    }
  }
  expect(repeats).toBeGreaterThan(0);
}

async function onNode<T>(address: string, fn: (client: Redis) => Promise<T>): Promise<T> {
  const [host, port] = address.split(':');
  const client = new Redis({
    host,
    port: Number(port),
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  try {
    await client.connect();
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

const dbsize = (address: string): Promise<number> => onNode(address, (c) => c.dbsize());

/** How many keys of the slot of `key` each master holds (CLUSTER KEYSLOT, then COUNTKEYSINSLOT). */
async function slotCounts(masters: readonly string[], key: string): Promise<number[]> {
  const slot = await onNode(masters[0] ?? '', (c) => c.call('CLUSTER', 'KEYSLOT', key));
  return Promise.all(
    masters.map((m) =>
      onNode(m, async (c) => Number(await c.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot)))),
    ),
  );
}

const INVALIDATION_BOUND_MS = 2_000;

async function patchHeadline(base: string, id: number): Promise<number> {
  const res = await fetch(`${base}/profiles/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ headline: `two-tier test ${Date.now()}` }),
    signal: AbortSignal.timeout(5_000),
  });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return Number(res.headers.get('x-profile-version'));
}

/**
 * Polls every server (directly) until each answers `version` or newer; once a server has, it must never
 * answer older again. Bounded by INVALIDATION_BOUND_MS and 400 reads; returns the time it took.
 */
async function msUntilAllServe(
  apps: readonly string[],
  id: number,
  version: number,
): Promise<number> {
  const started = performance.now();
  const fresh = new Set<string>();
  for (let i = 0; i < 400 && performance.now() - started < INVALIDATION_BOUND_MS; i++) {
    for (const url of apps) {
      const r = await read(url, id);
      if (fresh.has(url)) expect(r.version).toBeGreaterThanOrEqual(version);
      if (r.version >= version) fresh.add(url);
    }
    if (fresh.size === apps.length) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Number.POSITIVE_INFINITY;
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('nginx config', () => {
  it('passes `nginx -t` with the real binary for every catalog topology', async () => {
    const prefix = await makeRunDir('nginx-t');
    try {
      await mkdir(join(prefix, 'logs'));
      await mkdir(join(prefix, 'temp'));
      for (const topology of CATALOG) {
        const upstreams = range(1, topology.appServers).map((i) => 20_000 + i);
        const config = renderNginxConfig(topology, { listenPort: 20_000, upstreams, prefix });
        await writeFile(join(prefix, 'nginx.conf'), config);
        const args = ['-t', '-q', '-p', `${prefix}/`, '-c', 'nginx.conf', '-e', 'stderr'];
        await expect(promisify(execFile)(nginxBin(), args)).resolves.toBeDefined();
      }
    } finally {
      await removeRunDir(prefix);
    }
  });
});

describe('every catalog topology comes up natively, serves, and goes down clean', () => {
  it('no-cache: every read bypasses the cache', { timeout: TOPOLOGY_TIMEOUT_MS }, async () => {
    await withLab('no-cache', async (lab) => {
      const results = await reads(lab.url, [3, 3, 3, 3]);
      expect(results.map((r) => [r.status, r.cache])).toEqual(Array(4).fill([200, 'BYPASS']));
      expect(new Set(results.map((r) => r.servedBy)).size).toBe(3);
    });
  });

  it('local: a repeated read on the same server is HIT-L1', {
    timeout: TOPOLOGY_TIMEOUT_MS,
  }, async () => {
    await withLab('local', async (lab) => {
      const results = await reads(lab.url, Array(9).fill(5));
      expect(results[0]?.cache).toBe('MISS');
      expectRepeatsHitL1(results);
    });
  });

  it('local-hash: one profile, one server; profiles spread', {
    timeout: TOPOLOGY_TIMEOUT_MS,
  }, async () => {
    await withLab('local-hash', async (lab) => {
      const same = await reads(lab.url, Array(20).fill(42));
      expect(new Set(same.map((r) => r.servedBy)).size).toBe(1);
      expect(same.slice(1).every((r) => r.cache === 'HIT-L1')).toBe(true);
      const spread = await reads(lab.url, range(1, 30));
      expect(new Set(spread.map((r) => r.servedBy))).toEqual(new Set(['app-1', 'app-2', 'app-3']));
    });
  });

  it('local-disk: a repeated read on the same server is HIT-L1', {
    timeout: TOPOLOGY_TIMEOUT_MS,
  }, async () => {
    await withLab('local-disk', async (lab) => {
      expectRepeatsHitL1(await reads(lab.url, Array(9).fill(6)));
    });
  });

  it('local-single: one app server answers everything', {
    timeout: TOPOLOGY_TIMEOUT_MS,
  }, async () => {
    await withLab('local-single', async (lab) => {
      const results = await reads(lab.url, [7, 7, 8]);
      expect(results.map((r) => r.servedBy)).toEqual(['app-1', 'app-1', 'app-1']);
      expect(results.map((r) => r.cache)).toEqual(['MISS', 'HIT-L1', 'MISS']);
      expect(lab.state.services.filter((s) => s.role === 'app')).toHaveLength(1);
    });
  });

  it('global: cached through one server, HIT-L2 through another', {
    timeout: TOPOLOGY_TIMEOUT_MS,
  }, async () => {
    await withLab('global', async (lab) => {
      const [first, ...rest] = await reads(lab.url, Array(4).fill(9));
      expect(first?.cache).toBe('MISS');
      const other = rest.find((r) => r.servedBy !== first?.servedBy);
      expect(other?.cache).toBe('HIT-L2');
      const address = lab.services.redis?.nodes[0]?.address ?? '';
      expect(await onNode(address, (c) => c.exists(profileKey(9)))).toBe(1);
    });
  });

  it('global-cluster: keys spread over every master', {
    timeout: TOPOLOGY_TIMEOUT_MS,
  }, async () => {
    await withLab('global-cluster', async (lab) => {
      const ids = range(1, 60);
      expect((await reads(lab.url, ids)).every((r) => r.status === 200)).toBe(true);
      const cluster = lab.services.redis?.cluster;
      const masters = (await cluster?.masters()) ?? [];
      expect(masters).toHaveLength(3);
      const sizes = await Promise.all(masters.map(dbsize));
      expect(sizes.every((n) => n > 0)).toBe(true);
      // Each profile and its grace copy (profile:N:grace, a key of its own: grace is on here).
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(2 * ids.length);
      // profile:1 lives in exactly one master: the one that owns its slot
      expect((await slotCounts(masters, profileKey(1))).sort()).toEqual([0, 0, 1]);
    });
  });

  it('two-tier: after a PATCH no server serves an older version', {
    timeout: TOPOLOGY_TIMEOUT_MS,
  }, async () => {
    await withLab('two-tier', async (lab) => {
      const apps = lab.services.apps.map((a) => a.url);
      const warm: Read[] = [];
      for (const url of apps) warm.push(...(await reads(url, [11, 11])));
      expect(warm.filter((_, i) => i % 2 === 1).map((r) => r.cache)).toEqual(
        Array(3).fill('HIT-L1'),
      );
      const version = await patchHeadline(lab.url, 11);
      expect(version).toBeGreaterThan(warm[0]?.version ?? Number.POSITIVE_INFINITY);
      expect(await msUntilAllServe(apps, 11, version)).toBeLessThan(INVALIDATION_BOUND_MS);
      const after = [...(await reads(lab.url, Array(6).fill(11)))];
      for (const url of apps) after.push(...(await reads(url, [11, 11])));
      expect(after.filter((r) => r.version < version)).toEqual([]);
    });
  });

  it('global-sharded: keys on all three shards', { timeout: TOPOLOGY_TIMEOUT_MS }, async () => {
    await withLab('global-sharded', async (lab) => {
      const ids = range(1, 60);
      expect((await reads(lab.url, ids)).every((r) => r.status === 200)).toBe(true);
      const sizes = await Promise.all(
        (lab.services.redis?.nodes ?? []).map((n) => dbsize(n.address)),
      );
      expect(sizes).toHaveLength(3);
      expect(sizes.every((n) => n > 0)).toBe(true);
      // Each profile and its grace copy (profile:N:grace, a key of its own: grace is on here).
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(2 * ids.length);
    });
  });
});
