/** What the servers did in second t of the load. */
export interface ServerSample {
  t: number;
  /** Profile aggregate queries (pg_stat_statements) per second, else transactions; null if unread. */
  dbQps: number | null;
  /** Redis commands per second per node (redis-1…); null when the node did not answer. */
  redisOps: Record<string, number | null>;
  /** Per app server, when sampled: L1 entries at the start of the second, bus messages received in it. */
  apps: Record<string, { l1Entries: number | null; receivedPerSec: number | null }>;
}
