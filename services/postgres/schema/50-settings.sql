-- Settings and job seeking. One-row-per-member tables are keyed by user_id alone.
CREATE TABLE IF NOT EXISTS user_privacy_settings (
  user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  profile_visibility text NOT NULL,
  show_email text NOT NULL,
  show_connections boolean NOT NULL,
  allow_messages_from text NOT NULL,
  share_profile_updates boolean NOT NULL
);

CREATE TABLE IF NOT EXISTS user_notification_settings (
  user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  email_digest text NOT NULL,
  push_enabled boolean NOT NULL,
  mentions boolean NOT NULL,
  job_alerts boolean NOT NULL,
  quiet_hours_start smallint CHECK (quiet_hours_start BETWEEN 0 AND 23)
);

CREATE TABLE IF NOT EXISTS user_messaging_settings (
  user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  read_receipts boolean NOT NULL,
  typing_indicators boolean NOT NULL,
  smart_replies boolean NOT NULL
);

CREATE TABLE IF NOT EXISTS user_creator_settings (
  user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  creator_mode boolean NOT NULL,
  topics text[] NOT NULL DEFAULT '{}',
  follow_is_primary boolean NOT NULL
);

CREATE TABLE IF NOT EXISTS user_job_preferences (
  user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  job_titles text[] NOT NULL DEFAULT '{}',
  locations text[] NOT NULL DEFAULT '{}',
  workplace_types text[] NOT NULL DEFAULT '{}',
  employment_types text[] NOT NULL DEFAULT '{}',
  min_salary_usd integer
);

CREATE TABLE IF NOT EXISTS user_open_to_work (
  user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  enabled boolean NOT NULL DEFAULT false,
  visibility text NOT NULL DEFAULT 'recruiters',
  since date
);

CREATE TABLE IF NOT EXISTS user_saved_jobs (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  job_title text NOT NULL,
  company text NOT NULL,
  saved_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_job_applications (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  job_title text NOT NULL,
  company text NOT NULL,
  status text NOT NULL,
  applied_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_job_alerts (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  query text NOT NULL,
  location text NOT NULL,
  frequency text NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_recent_searches (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  query text NOT NULL,
  searched_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_devices (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  platform text NOT NULL,
  app_version text NOT NULL,
  last_seen_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, seq)
);
