import type { Response } from 'express';
import { AppError } from '../errors.ts';
import { JSON_CONTENT_TYPE } from './error-mapping.ts';
import { type KeyedWriteResult, writtenBody } from './profile-write.ts';
import { formatServerTiming } from './server-timing.ts';

/** Response header telling a client this is the recorded response of an earlier request. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * Answers a keyed PATCH: a write applied now as an unkeyed one is answered; a repeat with the
 * recorded status and body (and `Idempotent-Replayed: true`); a key reused for another request is
 * 422 IDEMPOTENCY_KEY_REUSED, as the Idempotency-Key draft says.
 */
export function sendKeyedWrite(res: Response, id: number, outcome: KeyedWriteResult): void {
  if (outcome.kind === 'reused') {
    throw new AppError(
      'IDEMPOTENCY_KEY_REUSED',
      'Idempotency-Key was already used for a different request (another profile or body): send a new key',
    );
  }
  if (outcome.kind === 'replayed') {
    const version = (JSON.parse(outcome.response.body) as { version?: unknown }).version;
    if (typeof version === 'number') res.setHeader('X-Profile-Version', String(version));
    res.setHeader(REPLAYED_HEADER, 'true');
    res.status(outcome.response.status).type(JSON_CONTENT_TYPE).send(outcome.response.body);
    return;
  }
  const { written } = outcome;
  res.setHeader('X-Profile-Version', String(written.version));
  res.setHeader('Server-Timing', formatServerTiming(written));
  res.status(200).type(JSON_CONTENT_TYPE).send(writtenBody(id, written.version));
}
