import type { Chunk, StageContext, StageOutput, ToxicKind, ToxicStage } from './toxics/toxic.ts';
import { passThrough } from './toxics/toxic.ts';

/** Where a link's bytes end up: the destination socket, and the connection as a whole. */
export interface LinkSink {
  write(data: Buffer): void;
  /** End of this direction: the destination is closed once its buffer is flushed. */
  end(): void;
  close(): void;
  reset(): void;
}

/** A toxic as a link sees it: its name, kind, validated attributes and toxicity. */
export interface ToxicSpec {
  name: string;
  kind: ToxicKind;
  attributes: Record<string, number>;
  toxicity: number;
}

interface Entry {
  name: string;
  stage: ToxicStage;
}

/** One direction of one connection: bytes from the source pass through a chain of toxic stages to the sink. */
export class Link {
  private readonly entries: Entry[] = [];
  private ended = false;

  constructor(
    private readonly sink: LinkSink,
    private readonly context: StageContext,
    toxics: readonly ToxicSpec[],
  ) {
    for (const spec of toxics) this.add(spec);
  }

  /** Bytes read from the source, stamped now. */
  receive(data: Buffer): void {
    if (this.entries.length === 0) this.sink.write(data);
    else this.forward(0, { data, arrivedAt: performance.now() });
  }

  /** The source ended (FIN). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.endFrom(0);
  }

  /** Appends a toxic at the end of the chain; the toxicity roll decides whether it acts here. */
  add(spec: ToxicSpec): void {
    const entry: Entry = { name: spec.name, stage: passThrough(this.outputOf(() => entry)) };
    if (Math.random() < spec.toxicity) {
      entry.stage = spec.kind.create(
        spec.attributes,
        this.outputOf(() => entry),
        this.context,
      );
    }
    this.entries.push(entry);
  }

  /** Replaces a toxic in place, releasing what the old one held. */
  update(spec: ToxicSpec): void {
    const index = this.entries.findIndex((entry) => entry.name === spec.name);
    if (index < 0) return;
    this.remove(spec.name);
    this.add(spec);
    const added = this.entries.pop() as Entry;
    this.entries.splice(index, 0, added);
  }

  /** Removes a toxic; what it held moves on down the chain. */
  remove(name: string): void {
    const index = this.entries.findIndex((entry) => entry.name === name);
    const entry = this.entries[index];
    if (!entry) return;
    entry.stage.flush();
    this.entries.splice(index, 1);
  }

  /** Stops every stage's timers and drops what they held. */
  dispose(): void {
    for (const entry of this.entries.splice(0)) entry.stage.dispose();
  }

  private outputOf(entry: () => Entry): StageOutput {
    const next = (): number => {
      const index = this.entries.indexOf(entry());
      // A removed stage has flushed already; it must not feed the chain again.
      return index < 0 ? -1 : index + 1;
    };
    return {
      push: (chunk) => {
        const index = next();
        if (index >= 0) this.forward(index, chunk);
      },
      end: () => {
        const index = next();
        if (index >= 0) this.endFrom(index);
      },
      close: () => this.sink.close(),
      reset: () => this.sink.reset(),
    };
  }

  private forward(index: number, chunk: Chunk): void {
    const entry = this.entries[index];
    if (entry) entry.stage.write(chunk);
    else this.sink.write(chunk.data);
  }

  private endFrom(index: number): void {
    const entry = this.entries[index];
    if (entry) entry.stage.end();
    else this.sink.end();
  }
}
