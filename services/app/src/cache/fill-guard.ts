import { LRUCache } from 'lru-cache';

/** One key's watch: turns stale when the key is invalidated while an operation holds it. */
export interface FillTicket {
  stale: boolean;
  /** Operations in flight (an L2 read, an L2 write). */
  holds: number;
  /** Misses whose follow-up set has not started yet. */
  awaiting: number;
}

/** Bounds of the ticket table. */
export interface FillGuardOptions {
  /** Most keys watched at once (default 10 000). */
  maxKeys?: number;
  /**
   * Longest a ticket lives (default 10 s). Bounds the wait for a set that never comes (a 404, a
   * failed load), during which an invalidation of the key vetoes its fills; set it just above the
   * longest possible load.
   */
  ttlMs?: number;
}

/**
 * Guards L1 fills against the invalidation race: a value read (or loaded) before an invalidation of
 * its key arrived must not enter L1 after it. Operations take a ticket on the key; invalidations
 * mark the key's ticket stale; a fill happens only if its ticket is still fresh. Every doubt is
 * resolved towards "stale" (a ticket evicted or expired from the bounded table turns stale).
 */
export class FillGuard {
  readonly #tickets: LRUCache<string, FillTicket>;
  #epoch = 0;

  constructor(options: FillGuardOptions = {}) {
    this.#tickets = new LRUCache<string, FillTicket>({
      max: options.maxKeys ?? 10_000,
      ttl: options.ttlMs ?? 10_000,
      dispose: (ticket, _key, reason) => {
        if (reason === 'evict' || reason === 'expire') ticket.stale = true;
      },
    });
  }

  /** Starts an operation that may fill L1 (joins the key's open ticket, stale or not). */
  begin(key: string): FillTicket {
    const ticket = this.#tickets.get(key) ?? { stale: false, holds: 0, awaiting: 0 };
    if (ticket.holds === 0 && ticket.awaiting === 0) this.#tickets.set(key, ticket);
    ticket.holds += 1;
    return ticket;
  }

  /** Ends an operation; true when the key was not invalidated since it began. */
  end(key: string, ticket: FillTicket): boolean {
    ticket.holds -= 1;
    this.#release(key, ticket);
    return !ticket.stale;
  }

  /** Ends a read that missed: keeps watching the key for the set expected to follow. */
  handOff(ticket: FillTicket): void {
    ticket.holds -= 1;
    ticket.awaiting += 1;
  }

  /** Starts a set: takes over the watch a miss handed off, or starts a new one. */
  beginSet(key: string): FillTicket {
    const ticket = this.#tickets.get(key);
    if (ticket === undefined || ticket.awaiting === 0) return this.begin(key);
    ticket.awaiting -= 1;
    ticket.holds += 1;
    return ticket;
  }

  /**
   * Counts invalidations of any key. An operation that cannot take a ticket at once (it first looks
   * in L1) compares epochs instead: any invalidation in between counts as one of its key.
   */
  get epoch(): number {
    return this.#epoch;
  }

  /** Marks the key's open ticket stale (an invalidation arrived). */
  invalidate(key: string): void {
    this.#epoch += 1;
    const ticket = this.#tickets.get(key);
    if (ticket !== undefined) ticket.stale = true;
  }

  /** Marks every open ticket stale (the invalidation stream had a gap). */
  invalidateAll(): void {
    this.#epoch += 1;
    for (const ticket of this.#tickets.values()) ticket.stale = true;
  }

  /** Open tickets, for tests. */
  get size(): number {
    return this.#tickets.size;
  }

  #release(key: string, ticket: FillTicket): void {
    if (ticket.holds > 0 || ticket.awaiting > 0) return;
    if (this.#tickets.peek(key) === ticket) this.#tickets.delete(key);
  }
}
