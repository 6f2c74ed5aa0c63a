/** What the servers did in second t of the load. */
export interface ServerSample {
  t: number;
  /** Profile aggregate queries (pg_stat_statements) per second, else transactions; null if unread. */
  dbQps: number | null;
  /** Redis commands per second per node (redis-1…); null when the node did not answer. */
  redisOps: Record<string, number | null>;
}
