import express, { type RequestHandler } from 'express';
import { AppError } from '../errors.ts';

/** Largest accepted request body. */
export const MAX_BODY_BYTES = 16 * 1024;

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Body handling for JSON endpoints: a body that is not JSON is 415, over 16 KiB is 413 (body-parser stops
 * reading at the limit), malformed JSON is 400 INVALID_JSON. Non-strict parsing lets a valid JSON scalar
 * reach validation and be reported as INVALID_BODY rather than as a syntax error.
 */
export function jsonBody(): RequestHandler[] {
  const parse = express.json({ limit: MAX_BODY_BYTES, strict: false, type: JSON_TYPES });
  const requireJson: RequestHandler = (req, _res, next) => {
    if (req.is(JSON_TYPES) === false) {
      const type = req.headers['content-type'] ?? 'none';
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'request body must be application/json', {
        details: { contentType: type.slice(0, 100) },
      });
    }
    next();
  };
  return [requireJson, parse];
}
