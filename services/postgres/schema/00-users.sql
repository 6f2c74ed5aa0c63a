-- The member row. `version` is bumped by every write so caches can tell documents apart.
CREATE TABLE IF NOT EXISTS users (
  id bigint PRIMARY KEY,
  handle text NOT NULL UNIQUE,
  full_name text NOT NULL,
  headline text NOT NULL DEFAULT '',
  about text NOT NULL DEFAULT '',
  location text NOT NULL DEFAULT '',
  industry text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT 1 CHECK (version >= 1)
);
