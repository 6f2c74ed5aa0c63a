import type { Cluster, Redis } from 'ioredis';
import { AppError } from '../errors.ts';
import type { CacheHit, GraceCopy, LeaseReply, SharedOps } from './cache-types.ts';

/**
 * Markers share the key with the value they stand for, so every script touches one key only (one
 * Cluster slot, one ring node): a lease is NUL 'L' token, a tombstone NUL 'T' version. Values are
 * JSON documents and never start with a NUL byte.
 */

/** The suffix of a key's grace copy (a separate key: invalidations leave it alone). */
export const GRACE_SUFFIX = ':grace';

/** True for a lease or tombstone marker, which readers must treat as a miss. */
export function isMarker(value: Buffer): boolean {
  return value.length > 0 && value[0] === 0;
}

/** Refuses a value a reader would take for a marker: a cached value must not begin with a NUL byte. */
export function checkStorable(value: Buffer): Buffer {
  if (isMarker(value)) {
    throw new AppError(
      'INTERNAL',
      'a cached value must not begin with a NUL byte: it marks leases and tombstones in the shared tier',
    );
  }
  return value;
}

// The leading `"version"` of a profile document, as the repository writes it (id, then version).
const VERSION_OF = `local function version_of(v)
  if string.sub(v, 1, 2) == '\\0T' then return tonumber(string.sub(v, 3)) end
  if string.byte(v, 1) == 0 then return nil end
  return tonumber(string.match(string.sub(v, 1, 96), '^{%s*"id"%s*:%s*%d+%s*,%s*"version"%s*:%s*(%d+)'))
end
`;

const SCRIPTS = {
  // ARGV: token, leaseMs → {0, value, pttl} | {1} granted | {2} busy
  cachelabLeaseGet: `local v = redis.call('GET', KEYS[1])
if v and string.byte(v, 1) ~= 0 then return {0, v, redis.call('PTTL', KEYS[1])} end
if v and string.sub(v, 1, 2) == '\\0L' then return {2} end
redis.call('SET', KEYS[1], '\\0L' .. ARGV[1], 'PX', ARGV[2])
return {1}`,
  // ARGV: token, value, ttlMs → 1 stored | 0 refused
  cachelabLeaseSet: `if redis.call('GET', KEYS[1]) == '\\0L' .. ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`,
  // ARGV: token → 1 released | 0 not this token's lease (filled, revoked or expired)
  cachelabLeaseRelease: `if redis.call('GET', KEYS[1]) == '\\0L' .. ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`,
  // ARGV: version, value, ttlMs → 1 stored | 0 refused (a newer tombstone or value is there)
  cachelabVersionedSet: `${VERSION_OF}local v = redis.call('GET', KEYS[1])
if v then
  local held = version_of(v)
  if held and held > tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`,
  // ARGV: version, ttlMs → 1 written | 0 kept (a tombstone or value at least that new is there)
  cachelabTombstone: `${VERSION_OF}local v = redis.call('GET', KEYS[1])
if v then
  local held = version_of(v)
  if held and held >= tonumber(ARGV[1]) and string.sub(v, 1, 2) ~= '\\0L' then return 0 end
end
redis.call('SET', KEYS[1], '\\0T' .. ARGV[1], 'PX', ARGV[2])
return 1`,
} as const;

type ScriptName = keyof typeof SCRIPTS;
type ScriptCall = (key: string, ...args: (string | number | Buffer)[]) => Promise<unknown>;

/** Registers the scripts on a client (EVALSHA with EVAL fallback; Cluster routes by the key). */
export function defineSharedScripts(client: Redis | Cluster): void {
  for (const [name, lua] of Object.entries(SCRIPTS)) {
    client.defineCommand(name, { numberOfKeys: 1, lua });
  }
}

function script(client: Redis | Cluster, name: ScriptName, buffers = false): ScriptCall {
  const table = client as unknown as Record<string, ScriptCall>;
  const call = table[buffers ? `${name}Buffer` : name];
  if (call === undefined) throw new Error(`redis script ${name} is not defined on this client`);
  return call.bind(client);
}

/** How each shared operation is run: the strategy wraps it with metrics and deadlines. */
export type SharedRunner = <T>(
  op: 'get' | 'set' | 'invalidate',
  key: string,
  call: () => Promise<T>,
) => Promise<T>;

/** The SharedOps of one client (standalone, shard, or cluster); scripts must be defined first. */
export function redisSharedOps(client: Redis | Cluster, run: SharedRunner): SharedOps {
  return {
    leaseGet: (key, token, leaseMs) =>
      run('get', key, async () => {
        const reply = await script(client, 'cachelabLeaseGet', true)(key, token, leaseMs);
        return toLeaseReply(reply);
      }),
    leaseSet: async (key, token, value, ttlMs) => {
      checkStorable(value);
      return run(
        'set',
        key,
        async () => (await script(client, 'cachelabLeaseSet')(key, token, value, ttlMs)) === 1,
      );
    },
    leaseRelease: (key, token) =>
      run(
        'invalidate',
        key,
        async () => (await script(client, 'cachelabLeaseRelease')(key, token)) === 1,
      ),
    versionedSet: async (key, value, version, ttlMs) => {
      checkStorable(value);
      return run(
        'set',
        key,
        async () =>
          (await script(client, 'cachelabVersionedSet')(key, version, value, ttlMs)) === 1,
      );
    },
    tombstone: (key, version, ttlMs) =>
      run('invalidate', key, async () => {
        await script(client, 'cachelabTombstone')(key, version, ttlMs);
      }),
    keepGrace: (key, copy, ttlMs) =>
      run('set', key + GRACE_SUFFIX, async () => {
        await client.set(key + GRACE_SUFFIX, encodeGrace(copy), 'PX', ttlMs);
      }),
    recallGrace: (key) =>
      run('get', key + GRACE_SUFFIX, async () =>
        decodeGrace(await client.getBuffer(key + GRACE_SUFFIX)),
      ),
  };
}

function toLeaseReply(reply: unknown): LeaseReply {
  if (!Array.isArray(reply)) throw new Error('unexpected lease reply');
  const [kind, value, ttlMs] = reply as [number, Buffer?, number?];
  if (kind === 1) return { kind: 'granted' };
  if (kind === 2) return { kind: 'busy' };
  if (!Buffer.isBuffer(value)) throw new Error('lease hit without a value');
  const hit: CacheHit & { ttlMs: number } = { value, tier: 'l2', ttlMs: Math.max(ttlMs ?? 0, 0) };
  return { kind: 'hit', hit };
}

/** Grace copies carry their load time: 8 bytes of epoch ms, then the value. */
function encodeGrace(copy: GraceCopy): Buffer {
  const header = Buffer.alloc(8);
  header.writeDoubleBE(copy.loadedAtMs);
  return Buffer.concat([header, copy.value]);
}

function decodeGrace(raw: Buffer | null): GraceCopy | undefined {
  if (raw === null || raw.length < 8) return undefined;
  return { loadedAtMs: raw.readDoubleBE(0), value: raw.subarray(8) };
}
