-- Bulk-load practice (PostgreSQL manual, "Populating a Database"): drops what makes row-by-row inserts
-- slow and returns the statements that re-create it, in order: the keys and indexes of the user_* tables
-- (one sort beats a b-tree insert per row) and the foreign keys that point at `users` (one validating
-- join per table beats a lookup of `users` per row).
CREATE OR REPLACE FUNCTION cachelab_seed_detach() RETURNS text[]
LANGUAGE plpgsql AS $fn$
DECLARE
  item record;
  keys text[] := '{}';
  fks text[] := '{}';
BEGIN
  FOR item IN
    SELECT c.conrelid::regclass AS tbl, c.conname, c.contype, pg_get_constraintdef(c.oid) AS def
    FROM pg_constraint c
    WHERE (c.contype = 'f' AND c.confrelid = 'users'::regclass)
      OR (c.contype IN ('p', 'u') AND c.conrelid::regclass::text LIKE 'user\_%')
    ORDER BY c.conrelid::regclass::text, c.conname
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', item.tbl, item.conname);
    IF item.contype = 'f' THEN
      fks := fks || format('ALTER TABLE %s ADD CONSTRAINT %I %s', item.tbl, item.conname, item.def);
    ELSE
      keys := keys || format('ALTER TABLE %s ADD CONSTRAINT %I %s', item.tbl, item.conname, item.def);
    END IF;
  END LOOP;
  FOR item IN
    SELECT i.indexrelid::regclass AS idx, pg_get_indexdef(i.indexrelid) AS def
    FROM pg_index i
    WHERE i.indrelid::regclass::text LIKE 'user\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    ORDER BY 1
  LOOP
    EXECUTE format('DROP INDEX %s', item.idx);
    keys := keys || item.def;
  END LOOP;
  -- Keys and indexes first: the foreign keys validate faster once they are back.
  RETURN keys || fks;
END
$fn$;

-- Refreshes planner statistics of `users` and every user_* table, so the first profile reads after a
-- seed get index plans instead of waiting for autovacuum.
-- A small sample is plenty for what the planner needs here (rows per member).
CREATE OR REPLACE FUNCTION cachelab_seed_analyze() RETURNS void
LANGUAGE plpgsql SET default_statistics_target = 10 AS $fn$
DECLARE
  tbl regclass;
BEGIN
  FOR tbl IN
    SELECT c.oid::regclass FROM pg_class c
    WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
      AND (c.relname = 'users' OR c.relname LIKE 'user\_%')
  LOOP
    EXECUTE format('ANALYZE %s', tbl);
  END LOOP;
END
$fn$;

-- Seeds members 1..user_count that do not exist yet, in one transaction; returns how many were added.
-- Each section function reads the temp table cachelab_seed_ids (the missing ids), so re-running with the
-- same count adds nothing and a larger count adds only the new members. While it runs, the user tables
-- are locked (their foreign keys, and maybe indexes, are dropped and re-created): seed before serving.
CREATE OR REPLACE FUNCTION cachelab_seed(user_count integer) RETURNS integer
LANGUAGE plpgsql SET work_mem = '64MB' SET maintenance_work_mem = '256MB' SET jit = off AS $fn$
DECLARE
  existing bigint;
  added integer;
  bulk boolean;
  restore text[];
  stmt text;
BEGIN
  IF user_count IS NULL OR user_count < 0 THEN
    RAISE EXCEPTION 'cachelab_seed: user_count must be >= 0, got %', user_count;
  END IF;
  -- Two seeders at once would race on the same ids: the second waits, then finds nothing missing.
  PERFORM pg_advisory_xact_lock(hashtext('cachelab_seed'));
  CREATE TEMP TABLE IF NOT EXISTS cachelab_seed_ids (id bigint) ON COMMIT DROP;
  TRUNCATE cachelab_seed_ids;
  INSERT INTO cachelab_seed_ids
    SELECT g FROM generate_series(1, user_count::bigint) g
    WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = g);
  GET DIAGNOSTICS added = ROW_COUNT;
  IF added > 0 THEN
    ANALYZE cachelab_seed_ids;
    SELECT count(*) INTO existing FROM users;
    -- Detaching costs a sort and a validating join over whole tables: worth it only when most rows
    -- are new. A small top-up keeps keys and indexes and pays per row instead.
    bulk := added >= existing;
    IF bulk THEN
      restore := cachelab_seed_detach();
    END IF;
    PERFORM cachelab_seed_identity();
    PERFORM cachelab_seed_career();
    PERFORM cachelab_seed_achievements();
    PERFORM cachelab_seed_network();
    PERFORM cachelab_seed_content();
    PERFORM cachelab_seed_settings();
    IF bulk THEN
      FOREACH stmt IN ARRAY restore LOOP
        EXECUTE stmt;
      END LOOP;
      PERFORM cachelab_seed_analyze();
    END IF;
  END IF;
  DROP TABLE cachelab_seed_ids;
  RETURN added;
END
$fn$;
