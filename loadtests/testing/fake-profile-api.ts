// A stand-in for the profile API, for testing the load generators (not the app) on 127.0.0.1.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** Knobs of the fake API; every field can be changed while it runs. */
export interface FakeApiBehaviour {
  /** Delay before answering each request. */
  latencyMs: number;
  /** When set, every request gets this status and a JSON error body. */
  failStatus: number | undefined;
  /** After a write, reads of that id keep serving the previous version for this long. */
  staleForMs: number;
  /** X-Served-By values, used round-robin. */
  servers: string[];
}

interface ProfileState {
  version: number;
  previous: number;
  changedAt: number;
}

/** A running fake API; close it (or `await using`) when done. */
export interface FakeProfileApi extends AsyncDisposable {
  url: string;
  behaviour: FakeApiBehaviour;
  /** Arrival time (performance.now()) of every request, in order. */
  arrivals: number[];
  /** Requests received but not yet answered: now, and the most at once. */
  concurrency: { now: number; max: number };
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function answerWrite(res: ServerResponse, id: number, ctx: AnswerContext): void {
  const state = ctx.profiles.get(id) ?? { version: 1, previous: 1, changedAt: -Infinity };
  const next = {
    version: state.version + 1,
    previous: state.version,
    changedAt: performance.now(),
  };
  ctx.profiles.set(id, next);
  send(res, 200, { id, version: next.version }, { 'x-served-by': ctx.servedBy });
}

function answerRead(res: ServerResponse, id: number, ctx: AnswerContext): void {
  const state = ctx.profiles.get(id) ?? { version: 1, previous: 1, changedAt: -Infinity };
  const stale = performance.now() - state.changedAt < ctx.behaviour.staleForMs;
  const version = stale ? state.previous : state.version;
  send(
    res,
    200,
    { id, version, headline: 'fake' },
    {
      'x-served-by': ctx.servedBy,
      'x-cache': stale ? 'HIT-L1' : 'MISS',
      'x-profile-version': String(version),
    },
  );
}

interface AnswerContext {
  behaviour: FakeApiBehaviour;
  profiles: Map<number, ProfileState>;
  servedBy: string;
}

function answer(req: IncomingMessage, res: ServerResponse, ctx: AnswerContext): void {
  const id = Number(/^\/profiles\/(\d+)$/.exec(req.url ?? '')?.[1]);
  const failStatus = ctx.behaviour.failStatus;
  if (failStatus !== undefined || !Number.isSafeInteger(id)) {
    const error = failStatus ? 'injected' : 'not found';
    send(res, failStatus ?? 404, { error }, { 'x-served-by': ctx.servedBy });
  } else if (req.method === 'PATCH') {
    answerWrite(res, id, ctx);
  } else {
    answerRead(res, id, ctx);
  }
}

/** Resolves once the server listens on a free 127.0.0.1 port; returns the port. */
async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function requestListener(
  behaviour: FakeApiBehaviour,
  arrivals: number[],
  pending: Set<NodeJS.Timeout>,
  concurrency: { now: number; max: number },
): (req: IncomingMessage, res: ServerResponse) => void {
  const profiles = new Map<number, ProfileState>();
  let served = 0;
  return (req, res) => {
    arrivals.push(performance.now());
    concurrency.max = Math.max(concurrency.max, ++concurrency.now);
    res.on('close', () => concurrency.now--);
    const servedBy = behaviour.servers[served++ % behaviour.servers.length] ?? 'fake';
    const reply = () => answer(req, res, { behaviour, profiles, servedBy });
    // Consume the body first so keep-alive connections stay usable.
    req.resume();
    req.on('end', () => delay(reply, behaviour.latencyMs, pending));
  };
}

/** Starts the fake API on a free 127.0.0.1 port. */
export async function startFakeProfileApi(
  initial: Partial<FakeApiBehaviour> = {},
): Promise<FakeProfileApi> {
  const behaviour: FakeApiBehaviour = {
    latencyMs: 0,
    failStatus: undefined,
    staleForMs: 0,
    servers: ['fake-1', 'fake-2'],
    ...initial,
  };
  const arrivals: number[] = [];
  const pending = new Set<NodeJS.Timeout>();
  const concurrency = { now: 0, max: 0 };
  const server = createServer(requestListener(behaviour, arrivals, pending, concurrency));
  server.keepAliveTimeout = 60_000;
  const port = await listen(server);
  const close = async (): Promise<void> => {
    for (const timer of pending) clearTimeout(timer);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}`,
    behaviour,
    arrivals,
    concurrency,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Runs fn after ms (now when ms <= 0), tracking the timer so close() can cancel it. */
function delay(fn: () => void, ms: number, pending: Set<NodeJS.Timeout>): void {
  if (ms <= 0) {
    fn();
    return;
  }
  const timer = setTimeout(() => {
    pending.delete(timer);
    fn();
  }, ms);
  pending.add(timer);
}
