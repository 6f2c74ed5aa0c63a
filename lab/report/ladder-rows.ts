import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const rowSchema = z.object({
  name: z.string().min(1),
  p50Ms: z.number().nonnegative(),
  p99Ms: z.number().nonnegative(),
  /** The textbook figure the rung is compared with (absent when there is none). */
  quotedMs: z.number().nonnegative().nullable().optional(),
});

// `make bench` writes either the rows themselves or an object holding them under `rows`.
const ladderSchema = z.union([
  z.array(rowSchema).min(1),
  z.object({ rows: z.array(rowSchema).min(1) }).transform((o) => o.rows),
]);

/** One rung of the latency ladder (e.g. L1 get, Redis get, aggregate query). */
export type LadderRow = z.infer<typeof rowSchema>;

/** The latency ladder file could not be used; the report says so instead of drawing it. */
export class LadderInvalidError extends Error {
  constructor(path: string, cause: unknown) {
    super(
      `${path} is not a latency ladder: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.name = 'LadderInvalidError';
  }
}

/** Validates parsed JSON as a latency ladder. */
export function parseLadder(value: unknown, source = 'latency ladder'): LadderRow[] {
  const parsed = ladderSchema.safeParse(value);
  if (!parsed.success)
    throw new LadderInvalidError(source, new Error(z.prettifyError(parsed.error)));
  return parsed.data;
}

/** Reads results/bench/latency-ladder.json; undefined when `make bench` has not written it. */
export async function loadLadder(path: string): Promise<LadderRow[] | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LadderInvalidError(path, error);
  }
  try {
    return parseLadder(JSON.parse(text), path);
  } catch (error) {
    throw error instanceof LadderInvalidError ? error : new LadderInvalidError(path, error);
  }
}
