import { connect } from 'node:net';
import { type AppServerHandle, startAppServer } from '../lab/run/processes/app-server.ts';
import { type PostgresHandle, startPostgres } from '../lab/run/processes/postgres.ts';
import { type RedisNode, startRedis } from '../lab/run/processes/redis.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import { applySchema, seedUsers } from '../services/app/src/db/setup.ts';

/** Users seeded by every app suite: ids 1..SEEDED_USERS exist. */
export const SEEDED_USERS = 200;
/** An id inside the valid range that no seeded user has. */
export const MISSING_ID = 150_000;

/** Postgres (schema + seed) and optionally one Redis, in one run directory, torn down together. */
export interface Backends {
  runDir: string;
  pg: PostgresHandle;
  redis: RedisNode | undefined;
  apps: AppServerHandle[];
  /** Starts an app server against these backends; `env` overrides the defaults. */
  startApp(serverId: string, env?: Record<string, string>): Promise<AppServerHandle>;
  /** Stops the app servers, Redis and Postgres, and deletes the run directory. */
  stop(): Promise<void>;
}

/** Starts Postgres (applying the schema and seeding SEEDED_USERS users) and, if asked, a Redis. */
export async function startBackends(options: {
  prefix: string;
  redis: boolean;
}): Promise<Backends> {
  const runDir = await makeRunDir(options.prefix);
  const pg = await startPostgres({ runDir });
  const redis = options.redis ? await startRedis({ runDir }) : undefined;
  await applySchema(pg.url);
  await seedUsers(pg.url, SEEDED_USERS);
  const apps: AppServerHandle[] = [];
  const backends: Backends = {
    runDir,
    pg,
    redis,
    apps,
    async startApp(serverId, env = {}) {
      const app = await startAppServer({ runDir, env: appEnv(backends, serverId, env) });
      apps.push(app);
      return app;
    },
    async stop() {
      await Promise.allSettled(apps.map((app) => app.stop()));
      await Promise.allSettled([redis?.stop(), pg.stop()]);
      await removeRunDir(runDir);
    },
  };
  return backends;
}

function appEnv(
  backends: Backends,
  serverId: string,
  env: Record<string, string>,
): Record<string, string> {
  return {
    SERVER_ID: serverId,
    TOPOLOGY: 'test',
    DATABASE_URL: backends.pg.url,
    ...(backends.redis ? { REDIS_URL: backends.redis.url } : {}),
    DB_POOL_SIZE: '4',
    LOG_LEVEL: 'warn',
    ...env,
  };
}

/** A response reduced to what the suites assert on. */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  bytes: Buffer;
}

/** One HTTP request to an app server (undici fetch, 127.0.0.1 only). */
export async function call(baseUrl: string, path: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(new URL(path, baseUrl), {
    ...init,
    signal: AbortSignal.timeout(10_000),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, text: bytes.toString(), bytes };
}

/** A JSON PATCH to /profiles/:id. */
export function patchProfile(baseUrl: string, id: number | string, body: unknown): Promise<Reply> {
  return call(baseUrl, `/profiles/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** GET /profiles/:id with the headers the lab reads. */
export async function readProfile(baseUrl: string, id: number) {
  const reply = await call(baseUrl, `/profiles/${id}`);
  const version = Number(reply.headers.get('x-profile-version'));
  return { ...reply, cache: reply.headers.get('x-cache'), version };
}

/** The `error` object of a JSON error body. */
export function errorOf(reply: Reply): { code: string; message: string } {
  return (JSON.parse(reply.text) as { error: { code: string; message: string } }).error;
}

/** Sends raw bytes on a fresh TCP connection and returns everything the server wrote before closing. */
export function rawRequest(port: number, payload: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
    socket.write(payload);
  });
}

/** Polls `probe` every `intervalMs` until it returns a value or `timeoutMs` passes (then throws). */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = performance.now() + options.timeoutMs;
  for (let attempt = 0; attempt < 100_000; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10));
  }
  throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}`);
}
