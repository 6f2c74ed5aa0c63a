import { Agent, createServer, type RequestListener, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../app.ts';
import type { AppDeps } from '../app-deps.ts';
import { createNoCache } from '../cache/none.ts';
import { loadConfig } from '../config.ts';
import { silentConsistencyObserver } from '../consistency/consistency-types.ts';
import type { ReadThrough } from '../consistency/read-through.ts';
import { createTtlMode } from '../consistency/ttl.ts';
import { AppError } from '../errors.ts';
import { createMetrics } from '../metrics.ts';
import { profileFastPath } from './fast-path.ts';
import { trackRequests } from './graceful-shutdown.ts';

// Pure-logic fakes for the read path (repository and read-through), real node:http servers: one with
// the fast path in front of the Express app, one with the Express app alone, compared response by response.

const FOUND = 1;
const MISSING = 2;
const DB_DOWN = 3;
const MAX_ID = 1_000;
const HTTP_COUNT = 'cachelab_http_request_duration_seconds_count';
const PROFILE = Buffer.from('{"id":1,"version":4,"headline":"x"}');

/** Dependencies with fakes for the read path; records the loads, the keys read and the log lines. */
function fakeDeps() {
  const loads: number[] = [];
  const keys: string[] = [];
  const logs: Array<{ level: number; code?: string; path?: string }> = [];
  const repository: AppDeps['repository'] = {
    async loadProfileJson(id) {
      loads.push(id);
      if (id === DB_DOWN) throw new AppError('DATABASE_UNAVAILABLE', 'connect ECONNREFUSED');
      return id === FOUND ? PROFILE : undefined;
    },
    updateProfile: async () => undefined,
    updateProfileOnce: async () => ({ kind: 'not-found' }),
    loadVersions: async () => new Map(),
    ping: async () => {},
  };
  // Fixed timings, so Server-Timing is the same on both servers.
  const readThrough: ReadThrough = {
    async read(key, load) {
      keys.push(key);
      return { body: await load(), result: 'HIT-L1', cacheMs: 0.25, dbMs: 1.5 };
    },
    invalidate: async () => {},
  };
  const config = loadConfig({ SERVER_ID: 'fast-test', MAX_PROFILE_ID: String(MAX_ID) });
  const stream = { write: (line: string) => void logs.push(JSON.parse(line)) };
  const logger = pino({ level: 'debug' }, stream);
  const metrics = createMetrics({ topology: 'test', serverId: config.SERVER_ID });
  const deps: AppDeps = {
    config,
    repository,
    readThrough,
    cache: createNoCache(),
    consistency: createTtlMode(createNoCache(), silentConsistencyObserver),
    metrics,
    logger,
  };
  return { deps, loads, keys, logs };
}

interface Served {
  server: Server;
  port: number;
  fake: ReturnType<typeof fakeDeps>;
  fallbacks: string[];
}

const servers: Server[] = [];

async function serve(fastPath: boolean): Promise<Served> {
  const fake = fakeDeps();
  const fallbacks: string[] = [];
  const app = createApp(fake.deps);
  const fallback: RequestListener = (req, res) => {
    fallbacks.push(`${req.method} ${req.url}`);
    app(req, res);
  };
  const server = createServer(fastPath ? profileFastPath(fake.deps, fallback) : app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, fake, fallbacks };
}

interface Raw {
  status: number;
  /** Raw header lines in wire order, Date left out. */
  headers: string[];
  body: string;
}

function send(
  port: number,
  path: string,
  init: { method?: string; headers?: Record<string, string>; agent?: Agent } = {},
) {
  return new Promise<Raw>((resolve, reject) => {
    const options = { host: '127.0.0.1', port, path, agent: false, ...init };
    const req = request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const pairs = res.rawHeaders.flatMap((v, i) =>
          i % 2 === 0 ? [`${v}: ${res.rawHeaders[i + 1]}`] : [],
        );
        const headers = pairs.filter((line) => !line.startsWith('Date: '));
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString() });
      });
    });
    req.on('error', reject).end();
  });
}

let fast: Served;
let plain: Served;

beforeAll(async () => {
  [fast, plain] = await Promise.all([serve(true), serve(false)]);
});

afterAll(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

describe('profileFastPath', () => {
  it.each([
    [FOUND, 200],
    [MISSING, 404],
    [DB_DOWN, 503],
  ])(
    'answers GET /profiles/%i itself, byte for byte as the Express route (%i)',
    async (id, status) => {
      const loadsBefore = fast.fake.loads.length;
      const [mine, theirs] = await Promise.all([
        send(fast.port, `/profiles/${id}`),
        send(plain.port, `/profiles/${id}`),
      ]);
      expect(mine.status).toBe(status);
      expect(mine).toEqual(theirs);
      expect(fast.fallbacks).toEqual([]);
      // The same read path, and exactly one load even when it fails (no second try through Express).
      expect(fast.fake.loads.slice(loadsBefore)).toEqual([id]);
      expect(fast.fake.keys.at(-1)).toBe(`profile:${id}`);
    },
  );

  it('sends the contract headers, in order, and the contract error bodies', async () => {
    const found = await send(fast.port, `/profiles/${FOUND}`);
    expect(found.headers).toEqual([
      'X-Served-By: fast-test',
      'X-Cache: HIT-L1',
      'Server-Timing: cache;dur=0.250, db;dur=1.500',
      'X-Profile-Version: 4',
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${PROFILE.length}`,
      'Connection: close',
    ]);
    expect(found.body).toBe(PROFILE.toString());
    const errors = await Promise.all(
      [MISSING, DB_DOWN].map((id) => send(fast.port, `/profiles/${id}`)),
    );
    expect(errors.map((reply) => JSON.parse(reply.body))).toEqual([
      { error: { code: 'PROFILE_NOT_FOUND', message: 'profile 2 not found' } },
      { error: { code: 'DATABASE_UNAVAILABLE', message: 'database unavailable' } },
    ]);
  });

  it.each([
    ['HEAD', '/profiles/1', {}],
    ['PATCH', '/profiles/1', {}],
    ['DELETE', '/profiles/1', {}],
    ['GET', '/profiles/01', {}],
    ['GET', '/profiles/0', {}],
    ['GET', '/profiles/12345678901', {}],
    ['GET', `/profiles/${MAX_ID + 1}`, {}],
    ['GET', '/profiles/1?fields=all', {}],
    ['GET', '/profiles/1/', {}],
    ['GET', '/PROFILES/1', {}],
    ['GET', '/healthz', {}],
    ['GET', '/profiles/1', { 'if-none-match': '*' }],
  ])('leaves %s %s %j to Express, unchanged', async (method, path, headers) => {
    fast.fallbacks.length = 0;
    const init = { method, headers };
    const [mine, theirs] = await Promise.all([
      send(fast.port, path, init),
      send(plain.port, path, init),
    ]);
    expect(fast.fallbacks).toEqual([`${method} ${path}`]);
    expect(mine).toEqual(theirs);
  });

  it('records the metrics and logs the Express route records', async () => {
    const fresh = await Promise.all([serve(true), serve(false)]);
    for (const { port } of fresh) {
      for (const id of [FOUND, FOUND, MISSING, DB_DOWN]) await send(port, `/profiles/${id}`);
    }
    const [mine, theirs] = await Promise.all(fresh.map(({ fake }) => requestSamples(fake.deps)));
    expect(mine).toEqual(theirs);
    expect(mine).toEqual(
      expect.arrayContaining([
        'http profile_get GET 200 HIT-L1 = 2',
        'http profile_get GET 404 HIT-L1 = 1',
        'http profile_get GET 503 none = 1',
        'reads HIT-L1 = 3',
      ]),
    );
    const [myLogs, theirLogs] = fresh.map(({ fake }) =>
      fake.logs.map(({ level, code, path }) => ({ level, code, path })),
    );
    expect(myLogs).toEqual(theirLogs);
    expect(myLogs).toContainEqual({ level: 50, code: 'DATABASE_UNAVAILABLE', path: '/profiles/3' });
  });

  it('marks its responses Connection: close once the server drains', async () => {
    const { server, port, fallbacks } = await serve(true);
    const agent = new Agent({ keepAlive: true });
    trackRequests(server).drain();
    try {
      const reply = await send(port, `/profiles/${FOUND}`, { agent });
      expect(reply.status).toBe(200);
      expect(reply.headers).toContain('Connection: close');
      expect(fallbacks).toEqual([]);
    } finally {
      agent.destroy();
    }
  });
});

/** The request-duration counts and profile-read counts of a registry, as comparable lines. */
async function requestSamples(deps: AppDeps): Promise<string[]> {
  return vi.waitFor(
    async () => {
      const metrics = await deps.metrics.registry.getMetricsAsJSON();
      const lines = metrics.flatMap((metric) =>
        metric.values.flatMap((v) => {
          const l = v.labels as Record<string, string>;
          if (metric.name === 'cachelab_profile_reads_total')
            return [`reads ${l.result} = ${v.value}`];
          if ((v as { metricName?: string }).metricName !== HTTP_COUNT) return [];
          return [`http ${l.route} ${l.method} ${l.status} ${l.cache} = ${v.value}`];
        }),
      );
      // Durations are observed on 'finish', which may come just after the client has read the response.
      const observed = lines.filter((line) => line.startsWith('http '));
      expect(observed.reduce((sum, line) => sum + Number(line.split(' = ')[1]), 0)).toBe(4);
      return lines.sort();
    },
    { timeout: 2_000, interval: 10 },
  );
}
