import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileKey } from '../services/app/src/cache/keys.ts';
import { readProfileVersion } from '../services/app/src/cache/profile-version.ts';
import type { Lookup } from '../services/app/src/consistency/consistency-types.ts';
import {
  createReadThrough,
  type ReadResult,
} from '../services/app/src/consistency/read-through.ts';
import { hitCheckOf } from '../services/app/src/consistency/wire-consistency.ts';
import {
  type Infra,
  idAllocator,
  startInfra,
  startTestServer,
  type TestServer,
  until,
} from './consistency-support.ts';

// A read that starts after a write was acknowledged must not return an older version under
// outbox+lease (the runner's definition of a stale read), against real Redis and Postgres: two
// in-process app servers, the writer and the reader, as on two servers behind round-robin.

let infra: Infra;
const nextId = idAllocator(301);

beforeAll(async () => {
  infra = await startInfra('cachelab-consistency-ack-order');
});
afterAll(async () => {
  await infra?.stop();
});

const versionOf = (read: ReadResult): number | undefined =>
  read.body === undefined ? undefined : readProfileVersion(read.body);

describe('single-flight joins after a write acknowledged on another server', () => {
  const servers: TestServer[] = [];
  let writer: TestServer;
  let reader: TestServer;

  beforeAll(async () => {
    const env = { INVALIDATION_CHANNEL: 'ack-order:join', LEASE_WAIT_MS: '' };
    for (let i = 0; i < 2; i++) {
      servers.push(await startTestServer(infra, 'global', 'outbox+lease', env));
    }
    [writer, reader] = servers as [TestServer, TestServer];
  });
  afterAll(async () => {
    await Promise.allSettled(servers.map((server) => server.close()));
  });

  it('a read joining a load that began before the write and did not fill gets the new version', async () => {
    const id = nextId();
    const shared = reader.cache.shared;
    if (shared === undefined) throw new Error('no shared tier');
    // A lease held elsewhere: the reader's miss waits briefly, then loads without filling.
    await shared.leaseGet(profileKey(id), 'feedfacefeedface', 10_000);
    const gate = reader.holdNextLoad();
    const concurrent = reader.read(id);
    await gate.loaded;
    const written = await writer.write(id, 'acknowledged before the second read');
    const after = reader.read(id);
    gate.release();
    await concurrent;
    expect(versionOf(await after)).toBe(written.version);
  });

  it('a read joining a lookup whose cache hit predates the write gets the new version', async () => {
    const id = nextId();
    await reader.read(id);
    await until('the reader to hit', async () => (await reader.read(id)).result === 'HIT-L2');
    let hold: (() => void) | undefined;
    let answered: () => void = () => {};
    const lookupAnswered = new Promise<void>((resolve) => {
      answered = resolve;
    });
    const mode = reader.mode;
    // The real mode over real Redis; only the hand-back of its answer is held, as a busy event loop would.
    const heldLookup = async (key: string): Promise<Lookup> => {
      const found = await mode.lookup(key);
      if (hold === undefined) {
        await new Promise<void>((resolve) => {
          hold = resolve;
          answered();
        });
      }
      return found;
    };
    const readThrough = createReadThrough({
      cache: reader.cache,
      ttlMs: reader.config.CACHE_TTL_MS,
      jitter: 0,
      consistency: { ...mode, lookup: heldLookup },
    });
    const load = () => reader.repository.loadProfileJson(id);
    const concurrent = readThrough.read(profileKey(id), load);
    await lookupAnswered;
    const written = await writer.write(id, 'acknowledged while the hit was in hand');
    const after = readThrough.read(profileKey(id), load);
    hold?.();
    await concurrent;
    expect(versionOf(await after)).toBe(written.version);
  });
});

describe('a write whose own tombstone cannot reach Redis at once', () => {
  it('is acknowledged only after its tombstone took effect: a later read elsewhere sees it', async () => {
    const id = nextId();
    const channel = { INVALIDATION_CHANNEL: 'ack-order:wait' };
    // The app's default command timeout, so a frozen Redis times the writer's commands out.
    const writer = await startTestServer(infra, 'global', 'outbox+lease', {
      ...channel,
      REDIS_COMMAND_TIMEOUT_MS: '',
      WRITE_INVALIDATE_WAIT_MS: '10000',
    });
    const reader = await startTestServer(infra, 'global', 'outbox+lease', channel);
    const redisPid = infra.redis.pid;
    let frozen = false;
    try {
      const old = await reader.read(id);
      expect(old.result).toBe('MISS');
      process.kill(redisPid, 'SIGSTOP');
      frozen = true;
      // The writer's lookup times out, and its connection is dropped and dialled again.
      expect((await writer.read(id)).result).toBe('BYPASS');
      let acknowledged = false;
      const writing = writer.write(id, 'written while Redis was frozen').then((written) => {
        acknowledged = true;
        return written;
      });
      await until('the tombstone to fail once', () =>
        writer.events.some((e) => e === 'invalidate_retried' || e === 'invalidate_failed'),
      );
      const acknowledgedWhileFrozen = acknowledged;
      process.kill(redisPid, 'SIGCONT');
      frozen = false;
      const written = await writing;
      expect(acknowledgedWhileFrozen).toBe(false);
      const later = await reader.read(id);
      expect(versionOf(later)).toBe(written.version);
    } finally {
      if (frozen) process.kill(redisPid, 'SIGCONT');
      await Promise.allSettled([writer.close(), reader.close()]);
    }
  });
});

describe('hits after a cache error, while the invalidator has not applied what the error delayed', () => {
  it('a hit older than the database is read as a miss; without the check it is served stale', async () => {
    const id = nextId();
    const env = { INVALIDATION_CHANNEL: 'ack-order:verify', REDIS_COMMAND_TIMEOUT_MS: '' };
    // No invalidator runs here: the outbox row stays pending, as while the invalidator lags.
    const writer = await startTestServer(infra, 'global', 'outbox+lease', {
      ...env,
      WRITE_INVALIDATE_WAIT_MS: '0',
    });
    const reader = await startTestServer(infra, 'global', 'outbox+lease', {
      ...env,
      VERIFY_HITS_AFTER_ERROR_MS: '5000',
    });
    const hitCheck = hitCheckOf(reader.config, reader.repository);
    expect(hitCheck).toBeDefined();
    const checked = createReadThrough({
      cache: reader.cache,
      ttlMs: reader.config.CACHE_TTL_MS,
      jitter: 0,
      consistency: reader.mode,
      hitCheck,
    });
    const load = () => reader.repository.loadProfileJson(id);
    const redisPid = infra.redis.pid;
    let frozen = false;
    try {
      expect((await checked.read(profileKey(id), load)).result).toBe('MISS');
      process.kill(redisPid, 'SIGSTOP');
      frozen = true;
      // Both servers see the cache fail; the writer's tombstone cannot land and it gives up at once.
      expect((await checked.read(profileKey(id), load)).result).toBe('BYPASS');
      expect((await writer.read(id)).result).toBe('BYPASS');
      const written = await writer.write(id, 'acknowledged before its tombstone landed');
      expect(writer.events).toContain('invalidate_failed');
      process.kill(redisPid, 'SIGCONT');
      frozen = false;
      await until('the reader to reach Redis again', async () => {
        const read = await reader.read(id);
        return read.result !== 'BYPASS';
      });
      // The unchecked path serves the old value; the checked one reads through.
      expect(versionOf(await reader.read(id))).toBeLessThan(written.version);
      const after = await checked.read(profileKey(id), load);
      expect(after.result).toBe('MISS');
      expect(versionOf(after)).toBe(written.version);
    } finally {
      if (frozen) process.kill(redisPid, 'SIGCONT');
      await Promise.allSettled([writer.close(), reader.close()]);
    }
  });
});
