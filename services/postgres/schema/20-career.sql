-- Career: the résumé part of the profile. Every table is keyed (user_id, seq), seq = display order.
CREATE TABLE IF NOT EXISTS user_experience (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  company text NOT NULL,
  title text NOT NULL,
  employment_type text NOT NULL,
  location text NOT NULL,
  started_on date NOT NULL,
  ended_on date,
  description text NOT NULL DEFAULT '',
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_education (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  school text NOT NULL,
  degree text NOT NULL,
  field_of_study text NOT NULL,
  started_on date NOT NULL,
  ended_on date,
  grade text,
  activities text NOT NULL DEFAULT '',
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_certifications (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  name text NOT NULL,
  authority text NOT NULL,
  license_number text NOT NULL,
  issued_on date NOT NULL,
  expires_on date,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_courses (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  name text NOT NULL,
  number text NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_test_scores (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  name text NOT NULL,
  score integer NOT NULL,
  taken_on date NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_projects (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  name text NOT NULL,
  description text NOT NULL,
  url text,
  started_on date NOT NULL,
  ended_on date,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_publications (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  title text NOT NULL,
  publisher text NOT NULL,
  published_on date NOT NULL,
  url text,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_patents (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  title text NOT NULL,
  office text NOT NULL,
  patent_number text NOT NULL,
  status text NOT NULL,
  filed_on date NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_honors (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  title text NOT NULL,
  issuer text NOT NULL,
  awarded_on date NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_organizations (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  name text NOT NULL,
  position text NOT NULL,
  started_on date NOT NULL,
  ended_on date,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_volunteering (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  organization text NOT NULL,
  role text NOT NULL,
  cause text NOT NULL,
  started_on date NOT NULL,
  ended_on date,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_skills (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  name text NOT NULL,
  proficiency text NOT NULL,
  endorsement_count integer NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_languages (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  language text NOT NULL,
  proficiency text NOT NULL,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_career_breaks (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  kind text NOT NULL,
  started_on date NOT NULL,
  ended_on date,
  PRIMARY KEY (user_id, seq)
);

CREATE TABLE IF NOT EXISTS user_services (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq smallint NOT NULL,
  name text NOT NULL,
  description text NOT NULL,
  hourly_rate_usd integer,
  PRIMARY KEY (user_id, seq)
);
