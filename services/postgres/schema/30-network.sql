-- Network: who the member knows and follows. Ids of other members carry no foreign key on purpose: the
-- graph may point at members outside the seeded range or since deleted, and the profile shows them anyway.
CREATE TABLE IF NOT EXISTS user_connections (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  connection_id bigint NOT NULL,
  connected_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);
-- The profile lists connections newest first.
CREATE INDEX IF NOT EXISTS user_connections_recent ON user_connections (user_id, connected_at DESC);

CREATE TABLE IF NOT EXISTS user_followers (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  follower_id bigint NOT NULL,
  followed_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_following (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  followee_id bigint NOT NULL,
  followed_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_recommendations (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  author_id bigint NOT NULL,
  relationship text NOT NULL,
  body text NOT NULL,
  written_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_endorsements (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  skill text NOT NULL,
  endorser_id bigint NOT NULL,
  endorsed_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_interests (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  topic text NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_groups (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  group_name text NOT NULL,
  role text NOT NULL,
  joined_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_companies_followed (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  company text NOT NULL,
  followed_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_schools_followed (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  school text NOT NULL,
  followed_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_hashtags_followed (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  hashtag text NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_newsletter_subscriptions (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  newsletter text NOT NULL,
  subscribed_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_blocked (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  blocked_id bigint NOT NULL,
  blocked_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_causes (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  cause text NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_events (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  title text NOT NULL,
  role text NOT NULL,
  starts_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);
