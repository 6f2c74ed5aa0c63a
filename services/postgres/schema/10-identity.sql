-- Identity: where the member is and how to reach them. Multi-row tables are keyed (user_id, seq), seq being
-- the display order, so the primary key also serves the aggregation's ORDER BY.
CREATE TABLE IF NOT EXISTS user_location (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  label text NOT NULL,
  city text NOT NULL,
  -- NULL when unknown: a member-typed location (PATCH) is free text and is not geocoded.
  country_code char(2),
  timezone text,
  is_current boolean NOT NULL DEFAULT false,
  since date NOT NULL,
  PRIMARY KEY (user_id, seq)
);
-- The data model allows one current location per member; PATCH location rewrites that row.
CREATE UNIQUE INDEX IF NOT EXISTS user_location_current ON user_location (user_id) WHERE is_current;

CREATE TABLE IF NOT EXISTS user_contact_info (
  user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  preferred_channel text NOT NULL,
  address text NOT NULL DEFAULT '',
  birthday_month smallint CHECK (birthday_month BETWEEN 1 AND 12),
  birthday_day smallint CHECK (birthday_day BETWEEN 1 AND 31),
  instant_messenger text
);

CREATE TABLE IF NOT EXISTS user_websites (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  url text NOT NULL,
  kind text NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_phone_numbers (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  number text NOT NULL,
  kind text NOT NULL,
  verified boolean NOT NULL DEFAULT false,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_emails (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  email text NOT NULL,
  is_primary boolean NOT NULL DEFAULT false,
  verified boolean NOT NULL DEFAULT false,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_profile_photos (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  url text NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  is_current boolean NOT NULL DEFAULT false,
  uploaded_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_verifications (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  kind text NOT NULL,
  provider text NOT NULL,
  verified_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);
