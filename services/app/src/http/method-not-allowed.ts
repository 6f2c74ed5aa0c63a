import type { RequestHandler } from 'express';
import { AppError } from '../errors.ts';

/**
 * Terminal handler for a known path: OPTIONS gets 204 with `Allow`, any other method 405 METHOD_NOT_ALLOWED
 * with `Allow`. `allowed` lists the methods the path serves (HEAD is implied by GET in Express).
 */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  const allow = allowed.join(', ');
  return (req, res) => {
    res.setHeader('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    throw new AppError(
      'METHOD_NOT_ALLOWED',
      `method ${req.method} not allowed; allowed: ${allow}`,
      {
        details: { allow: allowed },
      },
    );
  };
}
