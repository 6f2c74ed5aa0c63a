/**
 * The acknowledgement side of the invalidation bus. A publisher that wants to know every server has
 * dropped a key sends `MARK reply MARK seq MARK key`; each subscriber drops the key, then publishes
 * `seq` on the publisher's own reply channel. The publisher waits for as many acknowledgements as
 * PUBLISH reported receivers (or the cluster-wide subscriber count), bounded by a deadline.
 */

/** Leads a message that asks for an acknowledgement; no cache key starts with a control character. */
const MARK = '\u0001';

/** Where and under which number a receiver acknowledges one message. */
export interface AckRequest {
  reply: string;
  seq: string;
}

/** One message of the bus: a key, and the acknowledgement its publisher waits for (if any). */
export interface BusMessage {
  key: string;
  ack?: AckRequest | undefined;
}

/** The text published for `message`; a message without `ack` is the bare key. */
export function encodeBusMessage({ key, ack }: BusMessage): string {
  return ack === undefined ? key : `${MARK}${ack.reply}${MARK}${ack.seq}${MARK}${key}`;
}

/** Reads a published text; anything not in the acknowledged form is a bare key. */
export function decodeBusMessage(text: string): BusMessage {
  if (!text.startsWith(MARK)) return { key: text };
  const second = text.indexOf(MARK, 1);
  const third = second < 0 ? -1 : text.indexOf(MARK, second + 1);
  if (third < 0) return { key: text };
  const ack = { reply: text.slice(1, second), seq: text.slice(second + 1, third) };
  return { key: text.slice(third + 1), ack };
}

interface Waiting {
  received: number;
  expected: number | undefined;
  done: (confirmed: boolean) => void;
}

/** The publisher's table of messages still waiting for acknowledgements. */
export class PendingAcks {
  #next = 0;
  readonly #waiting = new Map<string, Waiting>();

  /** Registers a new message (before it is published, so no early acknowledgement is lost). */
  open(): {
    seq: string;
    confirmed: (expected: number, deadlineMs: number) => Promise<boolean>;
    cancel: () => void;
  } {
    const seq = String(++this.#next);
    let done: (confirmed: boolean) => void = () => {};
    const settled = new Promise<boolean>((resolve) => {
      done = resolve;
    });
    const entry: Waiting = { received: 0, expected: undefined, done };
    this.#waiting.set(seq, entry);
    const confirmed = (expected: number, deadlineMs: number): Promise<boolean> => {
      entry.expected = expected;
      this.#settleIfComplete(seq, entry);
      const timer = setTimeout(() => this.#settle(seq, false), deadlineMs);
      timer.unref();
      return settled.finally(() => clearTimeout(timer));
    };
    return { seq, confirmed, cancel: () => this.#settle(seq, false) };
  }

  /** Counts one acknowledgement of message `seq` (unknown or late ones are ignored). */
  received(seq: string): void {
    const entry = this.#waiting.get(seq);
    if (entry === undefined) return;
    entry.received += 1;
    this.#settleIfComplete(seq, entry);
  }

  /** Messages still waiting. */
  get size(): number {
    return this.#waiting.size;
  }

  #settleIfComplete(seq: string, entry: Waiting): void {
    if (entry.expected !== undefined && entry.received >= entry.expected) this.#settle(seq, true);
  }

  #settle(seq: string, confirmed: boolean): void {
    const entry = this.#waiting.get(seq);
    if (entry === undefined) return;
    this.#waiting.delete(seq);
    entry.done(confirmed);
  }
}
