-- cachelab schema: a professional-network profile spread over one `users` table and 50+ per-user tables.
-- Idempotent (CREATE ... IF NOT EXISTS / CREATE OR REPLACE). Runs under psql (`psql -f schema.sql`) and under
-- services/app/src/db/setup.ts, which understands exactly these `\ir` lines and loads the files in order.
\ir schema/00-users.sql
\ir schema/10-identity.sql
\ir schema/20-career.sql
\ir schema/30-network.sql
\ir schema/40-content.sql
\ir schema/50-settings.sql
\ir schema/90-profile.sql
\ir schema/95-outbox.sql
\ir schema/96-idempotency.sql
