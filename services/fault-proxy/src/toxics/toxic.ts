import type { z } from 'zod';
import type { Scheduler } from '../scheduler.ts';

/** A piece of the byte stream, stamped with the time it arrived at the proxy (performance.now(), ms). */
export interface Chunk {
  data: Buffer;
  arrivedAt: number;
}

/** Which way a toxic acts: upstream = client → server, downstream = server → client. */
export type Stream = 'upstream' | 'downstream';

/** Where a stage hands its output: the next stage, or the socket at the end of the link. */
export interface StageOutput {
  /** Passes a chunk on (in order). */
  push(chunk: Chunk): void;
  /** Passes the end of this direction (FIN) on. */
  end(): void;
  /** Closes the whole connection gracefully (both sockets). */
  close(): void;
  /** Resets the whole connection (RST on both sockets). */
  reset(): void;
}

/** What a stage may use besides its output. */
export interface StageContext {
  scheduler: Scheduler;
}

/** One toxic at work on one direction of one connection. */
export interface ToxicStage {
  /** A chunk arrived from the previous stage. */
  write(chunk: Chunk): void;
  /** The previous stage ended this direction. */
  end(): void;
  /** The toxic is being removed or replaced: stop timers and hand everything held to the output. */
  flush(): void;
  /** The connection is gone: stop timers and drop everything. */
  dispose(): void;
}

/** One kind of toxic (`latency`, `timeout` …): its attribute schema and how to build a stage. */
export interface ToxicKind<A extends Record<string, number> = Record<string, number>> {
  readonly type: string;
  /** Validates `attributes`, filling toxiproxy's defaults (missing numbers are 0). */
  readonly attributes: z.ZodType<A>;
  /** A stage acting on one direction of one connection. */
  create(attributes: A, out: StageOutput, context: StageContext): ToxicStage;
}

/** A stage that passes everything through untouched (a toxic that lost its toxicity roll). */
export function passThrough(out: StageOutput): ToxicStage {
  return {
    write: (chunk) => out.push(chunk),
    end: () => out.end(),
    flush: () => {},
    dispose: () => {},
  };
}
