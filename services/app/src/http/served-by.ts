import type { RequestHandler } from 'express';

/** Sets `X-Served-By` first thing, so every response — errors and 404s included — carries it. */
export function servedBy(serverId: string): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Served-By', serverId);
    next();
  };
}
