-- Content: what the member publishes and how others interact with the profile. The busiest tables get an
-- index (user_id, <time> DESC) because the profile shows them newest first.
CREATE TABLE IF NOT EXISTS user_posts (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  body text NOT NULL,
  visibility text NOT NULL,
  posted_at timestamptz NOT NULL,
  like_count integer NOT NULL DEFAULT 0,
  comment_count integer NOT NULL DEFAULT 0,
  repost_count integer NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, seq)
);
CREATE INDEX IF NOT EXISTS user_posts_recent ON user_posts (user_id, posted_at DESC);

-- Comments the member wrote on other members' posts.
CREATE TABLE IF NOT EXISTS user_post_comments (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  post_author_id bigint NOT NULL,
  post_seq smallint NOT NULL,
  body text NOT NULL,
  commented_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);
CREATE INDEX IF NOT EXISTS user_post_comments_recent
  ON user_post_comments (user_id, commented_at DESC);

-- Reactions the member left on other members' posts.
CREATE TABLE IF NOT EXISTS user_post_reactions (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  post_author_id bigint NOT NULL,
  post_seq smallint NOT NULL,
  reaction text NOT NULL,
  reacted_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_articles (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  title text NOT NULL,
  excerpt text NOT NULL,
  read_minutes smallint NOT NULL,
  published_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_media (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  kind text NOT NULL,
  url text NOT NULL,
  title text NOT NULL,
  uploaded_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_featured (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  kind text NOT NULL,
  title text NOT NULL,
  url text NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_activity (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  kind text NOT NULL,
  summary text NOT NULL,
  occurred_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);
CREATE INDEX IF NOT EXISTS user_activity_recent ON user_activity (user_id, occurred_at DESC);

CREATE TABLE IF NOT EXISTS user_badges (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  badge text NOT NULL,
  awarded_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_profile_views (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  viewer_id bigint NOT NULL,
  source text NOT NULL,
  viewed_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);
CREATE INDEX IF NOT EXISTS user_profile_views_recent ON user_profile_views (user_id, viewed_at DESC);

CREATE TABLE IF NOT EXISTS user_newsletters (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  title text NOT NULL,
  cadence text NOT NULL,
  subscriber_count integer NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_learning (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  course text NOT NULL,
  provider text NOT NULL,
  progress_percent smallint NOT NULL CHECK (progress_percent BETWEEN 0 AND 100),
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_search_appearances (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  week_start date NOT NULL,
  appearances integer NOT NULL,
  top_keyword text NOT NULL,
  PRIMARY KEY (user_id, seq)
);
