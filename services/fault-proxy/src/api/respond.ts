import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../api-error.ts';

/** Largest request body the API reads. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Sends a JSON body (toxiproxy's API always answers JSON). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** 204 No Content. */
export function sendEmpty(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

/** Sends an API error as `{ "error", "status" }`. */
export function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, error.toJSON());
}

/** Reads and parses the JSON body; an empty body is `undefined`, bad JSON a 400. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > MAX_BODY_BYTES) throw new ApiError('BAD_REQUEST_BODY', 'body too large');
    parts.push(part);
  }
  const text = Buffer.concat(parts).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError('BAD_REQUEST_BODY', (error as Error).message, { cause: error });
  }
}
