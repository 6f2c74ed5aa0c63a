import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../api-error.ts';
import type { ProxyCollection } from '../proxy-collection.ts';
import type { FaultProxyMetrics } from '../proxy-metrics.ts';
import { toxicJson } from '../toxic-collection.ts';
import { readJson, sendEmpty, sendJson } from './respond.ts';

/** The version /version reports: the toxiproxy API this server speaks. */
export const API_VERSION = '2.12.0';

/** What a handler gets. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: string[];
  proxies: ProxyCollection;
  metrics: FaultProxyMetrics;
}

type Handler = (context: RouteContext) => Promise<void>;

/** One path pattern and its handlers by method. */
interface Route {
  pattern: RegExp;
  methods: Record<string, Handler>;
}

const name = '([^/]+)';
const body = (context: RouteContext): Promise<unknown> => readJson(context.req);
const updateProxy: Handler = async (c) =>
  sendJson(c.res, 200, (await c.proxies.update(c.params[0] as string, await body(c))).toJSON());
const updateToxic: Handler = async (c) => {
  const toxics = c.proxies.get(c.params[0] as string).toxics;
  sendJson(c.res, 200, toxicJson(toxics.update(c.params[1] as string, await body(c))));
};

/** toxiproxy v2's routes. */
export const ROUTES: Route[] = [
  {
    pattern: /^\/proxies$/,
    methods: {
      GET: async (c) =>
        sendJson(c.res, 200, Object.fromEntries(c.proxies.all().map((p) => [p.name, p.toJSON()]))),
      POST: async (c) => sendJson(c.res, 201, (await c.proxies.create(await body(c))).toJSON()),
    },
  },
  {
    pattern: /^\/populate$/,
    methods: {
      POST: async (c) => {
        const proxies = await c.proxies.populate(await body(c));
        sendJson(c.res, 201, { proxies: proxies.map((p) => p.toJSON()) });
      },
    },
  },
  {
    pattern: new RegExp(`^/proxies/${name}$`),
    methods: {
      GET: async (c) => sendJson(c.res, 200, c.proxies.get(c.params[0] as string).toJSON()),
      POST: updateProxy,
      PATCH: updateProxy,
      DELETE: async (c) => {
        await c.proxies.remove(c.params[0] as string);
        sendEmpty(c.res);
      },
    },
  },
  {
    pattern: new RegExp(`^/proxies/${name}/toxics$`),
    methods: {
      GET: async (c) =>
        sendJson(
          c.res,
          200,
          c.proxies
            .get(c.params[0] as string)
            .toxics.list()
            .map(toxicJson),
        ),
      POST: async (c) => {
        const toxics = c.proxies.get(c.params[0] as string).toxics;
        sendJson(c.res, 200, toxicJson(toxics.add(await body(c))));
      },
    },
  },
  {
    pattern: new RegExp(`^/proxies/${name}/toxics/${name}$`),
    methods: {
      GET: async (c) =>
        sendJson(
          c.res,
          200,
          toxicJson(c.proxies.get(c.params[0] as string).toxics.get(c.params[1] as string)),
        ),
      POST: updateToxic,
      PATCH: updateToxic,
      DELETE: async (c) => {
        c.proxies.get(c.params[0] as string).toxics.remove(c.params[1] as string);
        sendEmpty(c.res);
      },
    },
  },
  {
    pattern: /^\/reset$/,
    methods: {
      POST: async (c) => {
        await c.proxies.reset();
        sendEmpty(c.res);
      },
    },
  },
  {
    pattern: /^\/version$/,
    methods: {
      GET: async (c) => {
        const text = `${JSON.stringify({ version: API_VERSION })}\n`;
        c.res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
        c.res.end(text);
      },
    },
  },
  {
    pattern: /^\/metrics$/,
    methods: {
      GET: async (c) => {
        const { contentType, body: text } = await c.metrics.render();
        c.res.writeHead(200, { 'content-type': contentType });
        c.res.end(text);
      },
    },
  },
];

/** Finds the handler for a request, or throws 404/405. */
export function route(method: string, path: string): { handler: Handler; params: string[] } {
  for (const candidate of ROUTES) {
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    const handler = candidate.methods[method];
    if (!handler) throw new ApiError('METHOD_NOT_ALLOWED', method);
    return { handler, params: match.slice(1).map((part) => decodeURIComponent(part)) };
  }
  throw new ApiError('ROUTE_NOT_FOUND', path);
}
