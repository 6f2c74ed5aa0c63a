import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileKey } from '../services/app/src/cache/keys.ts';
import type { ConsistencyName } from '../services/app/src/config.ts';
import {
  type Infra,
  idAllocator,
  LAYOUTS,
  startInfra,
  startTestServer,
  type TestServer,
  until,
} from './consistency-support.ts';

// Leases must not make a slow or failed filler everybody's problem, against real Redis (single,
// cluster 3+3, 3 shards on a client-side ring, two-tier) and real Postgres. The waits here are the
// app's defaults (LEASE_WAIT_MS unset), except where a test needs a wait longer than the lease TTL.

const MODES: ConsistencyName[] = ['lease', 'outbox+lease'];
const CASES = MODES.flatMap((mode) => LAYOUTS.map((layout) => ({ mode, layout })));
/** The app's defaults: an empty value is dropped by loadConfig. */
const DEFAULT_WAIT = { LEASE_WAIT_MS: '' };

let infra: Infra;
const nextId = idAllocator(401);

beforeAll(async () => {
  infra = await startInfra('cachelab-consistency-lease');
});
afterAll(async () => {
  await infra?.stop();
});

const countOf = (server: TestServer, event: string): number =>
  server.events.filter((e) => e === event).length;

describe.each(CASES)('leases on $layout under $mode', ({ mode, layout }) => {
  const servers: TestServer[] = [];
  let a: TestServer;
  let b: TestServer;
  const env = { INVALIDATION_CHANNEL: `lease:${mode}:${layout}`, ...DEFAULT_WAIT };

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) servers.push(await startTestServer(infra, layout, mode, env));
    [a, b] = servers as [TestServer, TestServer];
  });
  afterAll(async () => {
    await Promise.allSettled(servers.map((server) => server.close()));
  });

  it('a filler whose load failed frees the key at once: the next miss elsewhere takes the lease and fills', async () => {
    const id = nextId();
    const failing = a.readThrough.read(profileKey(id), async () => {
      throw new Error('the database went away mid-load');
    });
    await expect(failing).rejects.toThrow('the database went away mid-load');
    expect(a.events).toContain('lease_released');
    const busy = countOf(b, 'lease_busy');
    const read = await b.read(id);
    expect(read.result).toBe('MISS');
    expect(countOf(b, 'lease_busy')).toBe(busy);
    expect((await b.cachedVersions(id)).length).toBeGreaterThan(0);
  });

  it('a slow filler holds a concurrent miss elsewhere only for the short default wait, then its fill lands', async () => {
    const id = nextId();
    expect(b.config.LEASE_WAIT_MS).toBeLessThanOrEqual(50);
    const gate = a.holdNextLoad();
    const filling = a.read(id);
    await gate.loaded;
    const loadsBefore = b.loads();
    // The filler is still held: the waiter can only finish by reading through without filling.
    const waiter = await b.read(id);
    expect(waiter.result).toBe('MISS');
    expect(waiter.body).toBeDefined();
    expect(b.loads()).toBe(loadsBefore + 1);
    expect(b.events.at(-1)).toBe('lease_wait_expired');
    gate.release();
    expect((await filling).result).toBe('MISS');
    const after = await b.read(id);
    expect(['HIT-L1', 'HIT-L2']).toContain(after.result);
    expect(b.loads()).toBe(loadsBefore + 1);
  });

  it('a dead filler blocks nobody past its lease TTL: a waiter polling then fills itself', async () => {
    const id = nextId();
    const shared = a.cache.shared;
    if (shared === undefined) throw new Error('no shared tier');
    const leaseTtlMs = 300;
    expect((await shared.leaseGet(profileKey(id), 'deadf111deadf111', leaseTtlMs)).kind).toBe(
      'granted',
    );
    const patient = await startTestServer(infra, layout, mode, { ...env, LEASE_WAIT_MS: '5000' });
    try {
      const read = await patient.read(id);
      expect(read.result).toBe('MISS');
      expect(patient.events.slice(0, 2)).toEqual(['lease_busy', 'lease_granted']);
      expect((await patient.cachedVersions(id)).length).toBeGreaterThan(0);
    } finally {
      await patient.close();
    }
  });
});

describe('two-tier: a fill its own server vetoes', () => {
  const servers: TestServer[] = [];
  const channel = 'lease:two-tier:veto';

  afterAll(async () => {
    await Promise.allSettled(servers.map((server) => server.close()));
  });

  it.each(MODES)(
    'under %s releases the L2 lease, so the next miss elsewhere fills without waiting',
    async (mode) => {
      const env = { INVALIDATION_CHANNEL: `${channel}:${mode}`, ...DEFAULT_WAIT };
      const a = await startTestServer(infra, 'two-tier', mode, env);
      servers.push(a);
      const b = await startTestServer(infra, 'two-tier', mode, env);
      servers.push(b);
      const id = nextId();
      const gate = a.holdNextLoad();
      const filling = a.read(id);
      await gate.loaded;
      // A bus message alone (no write, so Redis keeps the lease): the filler's L1 guard vetoes its fill.
      const received = a.observer.invalidations.received;
      const publisher = new Redis(infra.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await publisher.connect();
        await publisher.publish(env.INVALIDATION_CHANNEL, profileKey(id));
      } finally {
        publisher.disconnect();
      }
      await until('the bus message reached the filler', () => {
        return a.observer.invalidations.received > received;
      });
      gate.release();
      expect((await filling).result).toBe('MISS');
      expect(a.events).toContain('lease_released');
      const busy = countOf(b, 'lease_busy');
      expect((await b.read(id)).result).toBe('MISS');
      expect(countOf(b, 'lease_busy')).toBe(busy);
      expect((await b.cachedVersions(id)).length).toBeGreaterThan(0);
    },
  );
});
