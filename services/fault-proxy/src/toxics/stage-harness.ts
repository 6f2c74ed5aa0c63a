import type { Scheduler } from '../scheduler.ts';
import type { Chunk, StageOutput, ToxicKind, ToxicStage } from './toxic.ts';

/** What a stage did, in order. */
export type StageEvent =
  | { kind: 'push'; data: string; at: number }
  | { kind: 'end' | 'close' | 'reset'; at: number };

/** A stage under test with a recording output (test helper). */
export interface StageHarness {
  stage: ToxicStage;
  events: StageEvent[];
  /** Bytes pushed so far, as one string. */
  output(): string;
  write(data: string): void;
}

/** Builds a stage of `kind` whose output records every event with performance.now(). */
export function harness(
  kind: ToxicKind,
  attributes: Record<string, unknown>,
  scheduler: Scheduler,
): StageHarness {
  const events: StageEvent[] = [];
  const out: StageOutput = {
    push: (chunk: Chunk) =>
      events.push({ kind: 'push', data: chunk.data.toString(), at: performance.now() }),
    end: () => events.push({ kind: 'end', at: performance.now() }),
    close: () => events.push({ kind: 'close', at: performance.now() }),
    reset: () => events.push({ kind: 'reset', at: performance.now() }),
  };
  const stage = kind.create(kind.attributes.parse(attributes), out, { scheduler });
  return {
    stage,
    events,
    output: () => events.map((event) => (event.kind === 'push' ? event.data : '')).join(''),
    write: (data) => stage.write({ data: Buffer.from(data), arrivedAt: performance.now() }),
  };
}
