import { z } from 'zod';

/**
 * A non-negative number attribute; toxiproxy's Go structs default a missing field to 0. Fractions are
 * accepted (toxiproxy itself takes whole milliseconds) so a LAN hop of 0.1 ms can be expressed.
 */
export const amount = z.number().finite().min(0).default(0);

/** A whole, non-negative number attribute (bytes, sizes). */
export const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0);
