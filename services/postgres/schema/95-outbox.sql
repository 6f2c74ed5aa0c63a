-- Transactional outbox of cache invalidations. In CONSISTENCY=outbox modes a profile update inserts
-- its row here in the same transaction, so an invalidation exists exactly when the write committed.
-- The invalidator (services/invalidator) applies pending rows to Redis and the bus, then sets done_at;
-- the statement trigger NOTIFYs it at commit, and it also polls, so a missed NOTIFY only adds delay.
-- Applied rows are kept for a while: two-tier servers catch up from them after a bus gap.
CREATE TABLE IF NOT EXISTS cache_invalidations (
  id bigserial PRIMARY KEY,
  cache_key text NOT NULL,
  profile_id bigint NOT NULL,
  version bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  done_at timestamptz,
  attempts integer NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS cache_invalidations_pending ON cache_invalidations (id)
  WHERE done_at IS NULL;
CREATE INDEX IF NOT EXISTS cache_invalidations_done ON cache_invalidations (done_at)
  WHERE done_at IS NOT NULL;

CREATE OR REPLACE FUNCTION cachelab_notify_invalidations() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_notify('cachelab_invalidations', '');
  RETURN NULL;
END
$fn$;

CREATE OR REPLACE TRIGGER cache_invalidations_notify
  AFTER INSERT ON cache_invalidations
  FOR EACH STATEMENT EXECUTE FUNCTION cachelab_notify_invalidations();
