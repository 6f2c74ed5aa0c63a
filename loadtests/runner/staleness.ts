/** Acknowledged writes remembered per id; older ones are forgotten (windows become lower bounds). */
export const ACKS_KEPT_PER_ID = 8;

interface Ack {
  version: number;
  ackAt: number;
}

/**
 * Detects stale reads: a read that started after a write was acknowledged but returned an older
 * version. Times are milliseconds on one monotonic clock (performance.now()).
 */
export class StalenessTracker {
  private readonly acks = new Map<number, Ack[]>();
  /** Reads that returned a version and were checked. */
  checkedReads = 0;
  staleReads = 0;
  /** Longest time from an acknowledgement to the start of a read that still missed it. */
  maxStaleWindowMs = 0;

  /** Remembers that write `version` of `id` was acknowledged at `ackAt`. */
  recordAck(id: number, version: number, ackAt: number): void {
    let list = this.acks.get(id);
    if (!list) {
      list = [];
      this.acks.set(id, list);
    }
    const same = list.find((a) => a.version === version);
    if (same) {
      same.ackAt = Math.min(same.ackAt, ackAt);
      return;
    }
    list.push({ version, ackAt });
    list.sort((a, b) => a.version - b.version);
    if (list.length > ACKS_KEPT_PER_ID) list.shift();
  }

  /**
   * Checks a read of `id` started at `startedAt` that returned `version`; counts it when `measured`.
   * Returns the stale window in ms, or undefined when the read was fresh.
   */
  checkRead(id: number, version: number, startedAt: number, measured: boolean): number | undefined {
    if (measured) this.checkedReads++;
    const list = this.acks.get(id);
    if (!list) return undefined;
    // The returned data became obsolete at the first acknowledgement of any newer version.
    let obsoleteSince = Number.POSITIVE_INFINITY;
    for (const ack of list) {
      if (ack.version > version && ack.ackAt < obsoleteSince) obsoleteSince = ack.ackAt;
    }
    if (!(startedAt > obsoleteSince)) return undefined;
    const window = startedAt - obsoleteSince;
    if (measured) {
      this.staleReads++;
      if (window > this.maxStaleWindowMs) this.maxStaleWindowMs = window;
    }
    return window;
  }

  /** staleReads / checkedReads (0 when nothing was checked). */
  get staleReadRate(): number {
    return this.checkedReads === 0 ? 0 : this.staleReads / this.checkedReads;
  }
}
