import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileKey } from '../services/app/src/cache/keys.ts';
import { CONSISTENCY_MODES, type ConsistencyName } from '../services/app/src/config.ts';
import {
  type Infra,
  idAllocator,
  LAYOUTS,
  type Layout,
  startInfra,
  startTestServer,
  type TestServer,
  until,
} from './consistency-support.ts';

// Every consistency mode on every shared-cache layout, against real Redis (single, cluster 3+3,
// 3 shards on a client-side ring) and real Postgres. The race tests are deterministic: a filler is
// held between its load and its set, another server writes, then the filler is released.

const CASES = CONSISTENCY_MODES.flatMap((mode) => LAYOUTS.map((layout) => ({ mode, layout })));
const LEASED = new Set<ConsistencyName>(['lease', 'outbox+lease']);

let infra: Infra;
const nextId = idAllocator();

beforeAll(async () => {
  infra = await startInfra('cachelab-consistency-contract');
});
afterAll(async () => {
  await infra?.stop();
});

/**
 * Whether the held filler's old version ends up cached. `ttl` never invalidates and `delete` is
 * plain cache-aside, so they store it; two-tier's fill guard also stops it under `delete` once the
 * write's bus message arrived (the test waits for it); leases and the outbox refuse it in Redis.
 */
function storesStaleFill(mode: ConsistencyName, layout: Layout): boolean {
  return mode === 'ttl' || (mode === 'delete' && layout !== 'two-tier');
}

describe.each(CASES)('consistency contract: $mode on $layout', ({ mode, layout }) => {
  const servers: TestServer[] = [];
  let a: TestServer;
  let b: TestServer;
  const env = { INVALIDATION_CHANNEL: `contract:${mode}:${layout}` };

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) servers.push(await startTestServer(infra, layout, mode, env));
    [a, b] = servers as [TestServer, TestServer];
  });
  afterAll(async () => {
    await Promise.allSettled(servers.map((server) => server.close()));
  });

  it('a miss loads and fills; the next read on another server is a hit of the same version', async () => {
    const id = nextId();
    const first = await a.read(id);
    expect(first.result).toBe('MISS');
    const second = await b.read(id);
    expect(['HIT-L1', 'HIT-L2']).toContain(second.result);
    expect(second.body?.equals(first.body ?? Buffer.alloc(0))).toBe(true);
  });

  it(`after a write on one server, another server reads ${mode === 'ttl' ? 'the old version (ttl never invalidates)' : 'the new version'}`, async () => {
    const id = nextId();
    const before = await a.read(id);
    await b.read(id);
    const received = b.observer.invalidations.received;
    const written = await a.write(id, `contract ${mode}`);
    if (layout === 'two-tier' && mode !== 'ttl') {
      await until(
        'the write reached the reader over the bus',
        () => b.observer.invalidations.received > received,
      );
    }
    const after = await b.read(id);
    const version = Number(JSON.parse(after.body?.toString() ?? '{}').version);
    if (mode === 'ttl') expect(after.body?.equals(before.body ?? Buffer.alloc(0))).toBe(true);
    else expect(version).toBe(written.version);
  });

  it(`a filler held across another server's write ${storesStaleFill(mode, layout) ? 'stores the stale value' : 'does not store the stale value'}`, async () => {
    const id = nextId();
    const gate = a.holdNextLoad();
    const reading = a.read(id);
    await gate.loaded;
    const received = a.observer.invalidations.received;
    const written = await b.write(id, `race ${mode}`);
    if (layout === 'two-tier' && mode !== 'ttl') {
      await until(
        'the write reached the filler over the bus',
        () => a.observer.invalidations.received > received,
      );
    }
    gate.release();
    const read = await reading;
    expect(read.result).toBe('MISS');
    const versions = [...(await a.cachedVersions(id)), ...(await b.cachedVersions(id))];
    const stale = versions.some((version) => version < written.version);
    expect(stale).toBe(storesStaleFill(mode, layout));
  });

  it(`a stampede on a cold key costs ${LEASED.has(mode) ? 'one database load across all servers' : 'one load per server'}`, async () => {
    const id = nextId();
    const loadsBefore = servers.map((server) => server.loads());
    const busyBefore = servers.map(
      (server) => server.events.filter((e) => e === 'lease_busy').length,
    );
    const gates = servers.map((server) => server.holdNextLoad());
    const reads = servers.flatMap((server) => Array.from({ length: 5 }, () => server.read(id)));
    const loadsNow = () =>
      servers.reduce((sum, server, i) => sum + server.loads() - (loadsBefore[i] ?? 0), 0);
    const busyNow = () =>
      servers.reduce(
        (sum, s, i) =>
          sum + s.events.filter((e) => e === 'lease_busy').length - (busyBefore[i] ?? 0),
        0,
      );
    if (LEASED.has(mode)) {
      await until(
        'one lease holder and the others waiting',
        () => loadsNow() === 1 && busyNow() === servers.length - 1,
      );
    } else {
      await until('every server loading', () => loadsNow() === servers.length);
    }
    for (const gate of gates) gate.release();
    const results = await Promise.all(reads);
    expect(results.every((result) => result.body !== undefined)).toBe(true);
    expect(loadsNow()).toBe(LEASED.has(mode) ? 1 : servers.length);
  });

  if (LEASED.has(mode)) {
    it('a lease whose holder never fills: a miss waits LEASE_WAIT_MS, then reads through without filling', async () => {
      const id = nextId();
      const shared = a.cache.shared;
      if (shared === undefined) throw new Error('no shared tier');
      expect((await shared.leaseGet(profileKey(id), 'deadbeefdeadbeef', 60_000)).kind).toBe(
        'granted',
      );
      const impatient = await startTestServer(infra, layout, mode, {
        ...env,
        LEASE_WAIT_MS: '100',
      });
      try {
        const read = await impatient.read(id);
        expect(read.result).toBe('MISS');
        expect(read.body).toBeDefined();
        expect(impatient.events).toContain('lease_wait_expired');
        expect(await impatient.cachedVersions(id)).toEqual([]);
      } finally {
        await impatient.close();
      }
    });

    it('a lease that expires frees the key for the next miss, which fills', async () => {
      const id = nextId();
      await a.cache.shared?.leaseGet(profileKey(id), 'feedfacefeedface', 200);
      const read = await b.read(id);
      expect(read.result).toBe('MISS');
      expect((await b.cachedVersions(id)).length).toBeGreaterThan(0);
    });
  }

  it('a tombstone or lease marker is never served as a value', async () => {
    const id = nextId();
    await a.read(id);
    await a.cache.shared?.tombstone(profileKey(id), Number.MAX_SAFE_INTEGER, 60_000);
    const read = await b.read(id);
    expect(read.result).toBe('MISS');
    expect(read.body?.[0]).toBe('{'.charCodeAt(0));
  });
});
