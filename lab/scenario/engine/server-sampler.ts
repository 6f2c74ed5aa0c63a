import { Redis } from 'ioredis';
import pg from 'pg';
import { epochNow } from '../../../loadtests/runner/spread-run.ts';
import { parseRedisInfo, redisCountersOf } from '../../measure/scrape/redis-info.ts';
import type { ServerSample } from '../figures/server-sample.ts';
import { type AppReading, type AppTarget, readAppBus } from './app-bus-reader.ts';

/** Where the sampler reads (host-side addresses; passwords for compose). */
export interface SamplerTargets {
  databaseUrl: string;
  redis: { node: string; host: string; port: number; password?: string }[];
  /** App servers whose L1 size and bus messages are read too (bus-partition); none by default. */
  apps?: AppTarget[];
}

interface Tick {
  t: number;
  db: number | null;
  redis: Record<string, number | null>;
  apps: Record<string, AppReading>;
}

const DB_SQL = `SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())::float8 AS xacts,
  (SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE query LIKE '%cachelab_profile_json%'
     AND query NOT LIKE '%pg_stat_statements%')::float8 AS calls`;
const DB_SQL_NO_STATEMENTS = `SELECT xact_commit::float8 AS xacts, NULL::float8 AS calls
  FROM pg_stat_database WHERE datname = current_database()`;

/** A Postgres reader that reconnects after the database went away (postgres-down). */
class DbReader {
  private client: pg.Client | undefined;
  private sql = DB_SQL;

  constructor(private readonly url: string) {}

  async read(): Promise<number | null> {
    try {
      this.client ??= await this.open();
      const row = (await this.client.query(this.sql)).rows[0] as Record<string, unknown>;
      return row.calls === null ? Number(row.xacts) : Number(row.calls);
    } catch (error) {
      if (/pg_stat_statements/.test(String(error))) this.sql = DB_SQL_NO_STATEMENTS;
      await this.close();
      return null;
    }
  }

  private async open(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: 700,
      query_timeout: 700,
    });
    client.on('error', () => {}); // a killed backend must not crash the run; the next read reconnects
    await client.connect();
    return client;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}

function redisClient(target: SamplerTargets['redis'][number]): Redis {
  return new Redis({
    host: target.host,
    port: target.port,
    ...(target.password ? { password: target.password } : {}),
    connectTimeout: 700,
    commandTimeout: 700,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => 250,
  });
}

const delta = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined || b < a ? null : b - a;

/**
 * Reads the database's and every Redis node's cumulative counters (and, when asked, app servers' L1
 * size and bus messages) once a second on the load's clock,
 * and turns them into per-second rates. Sources that stop answering give nulls, never a failure.
 */
export class ServerSampler {
  private readonly db: DbReader;
  private readonly redis: { node: string; client: Redis }[];
  private readonly apps: AppTarget[];
  private readonly ticks: Tick[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<void> = Promise.resolve();

  constructor(targets: SamplerTargets) {
    this.db = new DbReader(targets.databaseUrl);
    this.redis = targets.redis.map((r) => ({ node: r.node, client: redisClient(r) }));
    this.apps = targets.apps ?? [];
    for (const r of this.redis) r.client.on('error', () => {}); // down nodes are sampled as null
  }

  /** Starts sampling at every whole second after `startAtEpochMs`, for `seconds` + 1 ticks. */
  start(startAtEpochMs: number, seconds: number): void {
    const schedule = (t: number): void => {
      if (t > seconds) return;
      this.timer = setTimeout(
        () => {
          this.pending = this.pending.then(() => this.tick(t));
          schedule(t + 1);
        },
        Math.max(0, startAtEpochMs + t * 1000 - epochNow()),
      );
    };
    schedule(0);
  }

  private async tick(t: number): Promise<void> {
    const readNode = async (r: { node: string; client: Redis }) => {
      try {
        const info = String(await r.client.call('INFO', 'stats', 'commandstats'));
        return [r.node, redisCountersOf(r.node, parseRedisInfo(info)).ops] as const;
      } catch {
        return [r.node, null] as const;
      }
    };
    const readApp = async (app: AppTarget) => [app.server, await readAppBus(app)] as const;
    const [db, nodes, apps] = await Promise.all([
      this.db.read(),
      Promise.all(this.redis.map(readNode)),
      Promise.all(this.apps.map(readApp)),
    ]);
    this.ticks.push({ t, db, redis: Object.fromEntries(nodes), apps: Object.fromEntries(apps) });
  }

  /** Stops, closes every connection, and returns one sample per second. */
  async stop(): Promise<ServerSample[]> {
    clearTimeout(this.timer);
    await this.pending;
    await this.db.close();
    for (const r of this.redis) r.client.disconnect();
    const byT = new Map(this.ticks.map((tick) => [tick.t, tick]));
    return this.ticks.flatMap((tick) => {
      const next = byT.get(tick.t + 1);
      if (!next) return [];
      const redisOps = Object.fromEntries(
        Object.keys(tick.redis).map((node) => [node, delta(tick.redis[node], next.redis[node])]),
      );
      const apps = Object.fromEntries(
        Object.entries(tick.apps).map(([server, a]) => [
          server,
          {
            l1Entries: a.l1Entries,
            receivedPerSec: delta(a.received, next.apps[server]?.received),
          },
        ]),
      );
      return [{ t: tick.t, dbQps: delta(tick.db, next.db), redisOps, apps }];
    });
  }
}
