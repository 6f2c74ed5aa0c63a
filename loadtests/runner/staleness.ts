/** Acknowledged writes remembered per id; older ones are forgotten (windows become lower bounds). */
export const ACKS_KEPT_PER_ID = 8;

interface Ack {
  version: number;
  ackAt: number;
}

/**
 * Detects stale reads: a read that started after a write was acknowledged but returned an older
 * version. Times are milliseconds on one monotonic clock (performance.now()). A read answered under
 * grace (`X-Cache: STALE`, stale-if-error) declares its staleness: it is counted apart, as a grace
 * stale read, never as a silent stale read.
 */
export class StalenessTracker {
  private readonly acks = new Map<number, Ack[]>();
  /** Reads that returned a version and were checked. */
  checkedReads = 0;
  /** Silent stale reads: an older version served as if fresh. */
  staleReads = 0;
  /** Grace answers (X-Cache: STALE) that returned a version older than an acknowledged write. */
  graceStaleReads = 0;
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
   * Returns the stale window in ms of a silent stale read, or undefined when the read was fresh or
   * was a `grace` answer (an older one is counted in graceStaleReads).
   */
  checkRead(
    id: number,
    version: number,
    startedAt: number,
    measured: boolean,
    grace = false,
  ): number | undefined {
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
    if (grace) {
      if (measured) this.graceStaleReads++;
      return undefined;
    }
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
