import { Redis } from 'ioredis';
import { ScrapeError } from './scrape-error.ts';

/** Counters of one Redis node from INFO stats, commandstats, keyspace and replication. */
export interface RedisNodeCounters {
  /** Address-free label: redis-1, redis-2… in start order. */
  node: string;
  role: 'master' | 'replica';
  /** Commands executed, excluding INFO (the lab's own scrapes). */
  ops: number;
  /** Calls per command name, INFO excluded (lower case; subcommands like `client|setname` apart). */
  commands: Record<string, number>;
  keyspaceHits: number;
  keyspaceMisses: number;
  /** Gauge: keys in every database when scraped. */
  keys: number;
  /** Gauge: INFO used_memory (bytes) when scraped. */
  usedMemoryBytes: number;
}

/** Commands the scrape itself issues, left out of `ops`. */
const SCRAPE_COMMANDS = new Set(['info']);

/** Parses an INFO reply into its `key:value` fields (sections flattened; later keys win). */
export function parseRedisInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

/** Parses `a=1,b=2` (commandstats and keyspace values) into numbers. */
function parseList(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of value.split(',')) {
    const [key, num] = part.split('=');
    if (key && num !== undefined) out[key] = Number(num);
  }
  return out;
}

/** Extracts the node's counters from its flattened INFO fields. */
export function redisCountersOf(node: string, fields: Record<string, string>): RedisNodeCounters {
  const commands: Record<string, number> = {};
  let keys = 0;
  for (const [key, value] of Object.entries(fields)) {
    const command = key.startsWith('cmdstat_') ? key.slice(8) : undefined;
    if (command && !SCRAPE_COMMANDS.has(command)) commands[command] = parseList(value).calls ?? 0;
    if (/^db\d+$/.test(key)) keys += parseList(value).keys ?? 0;
  }
  const ops = Object.values(commands).reduce((sum, calls) => sum + calls, 0);
  return {
    node,
    role: fields.role === 'slave' ? 'replica' : 'master',
    ops,
    commands,
    keyspaceHits: Number(fields.keyspace_hits ?? 0),
    keyspaceMisses: Number(fields.keyspace_misses ?? 0),
    keys,
    usedMemoryBytes: Number(fields.used_memory ?? 0),
  };
}

/** What happened on a node between two scrapes: counters subtracted, gauges and role as of `after`. */
export function subtractRedisCounters(
  after: RedisNodeCounters,
  before: RedisNodeCounters,
): RedisNodeCounters {
  const names = new Set([...Object.keys(after.commands), ...Object.keys(before.commands)]);
  const commands = Object.fromEntries(
    [...names].map((n) => [n, (after.commands[n] ?? 0) - (before.commands[n] ?? 0)]),
  );
  return {
    ...after,
    ops: after.ops - before.ops,
    commands,
    keyspaceHits: after.keyspaceHits - before.keyspaceHits,
    keyspaceMisses: after.keyspaceMisses - before.keyspaceMisses,
  };
}

function connect(host: string, port: number, password?: string): Redis {
  return new Redis({
    host,
    port,
    ...(password === undefined ? {} : { password }),
    lazyConnect: true,
    connectTimeout: 3_000,
    commandTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
}

/** Runs INFO once on one node over its own short connection (never through a cluster client). */
export async function redisInfo(
  host: string,
  port: number,
  sections: string[],
  password?: string,
): Promise<string> {
  const client = connect(host, port, password);
  try {
    await client.connect();
    return String(await client.call('INFO', ...sections));
  } finally {
    client.disconnect();
  }
}

/** A connection to one node kept open for the scrapes around one measured window. */
export interface RedisScraper {
  read(): Promise<RedisNodeCounters>;
  close(): void;
}

const SECTIONS = ['stats', 'commandstats', 'keyspace', 'replication', 'memory'];

/** Connects to node `node` at host:port; ScrapeError when it cannot. */
export async function openRedisScraper(
  node: string,
  host: string,
  port: number,
  password?: string,
): Promise<RedisScraper> {
  const client = connect(host, port, password);
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new ScrapeError('redis', `could not connect to ${node}`, error);
  }
  return {
    read: async () => {
      try {
        return redisCountersOf(
          node,
          parseRedisInfo(String(await client.call('INFO', ...SECTIONS))),
        );
      } catch (error) {
        throw new ScrapeError('redis', `could not read INFO of ${node}`, error);
      }
    },
    close: () => client.disconnect(),
  };
}
