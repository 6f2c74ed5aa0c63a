-- cachelab seed functions: `SELECT cachelab_seed(100000)` seeds members 1..100000 deterministically.
-- No random(): every value is a hash of the member id (and row number), so two databases seeded with the
-- same N hold the same data, a second run with the same N adds nothing, and a larger N adds only the
-- missing members. Loaded by services/app/src/db/setup.ts (seedUsers) or `psql -f seed.sql`.
\ir seed/00-helpers.sql
\ir seed/10-identity.sql
\ir seed/20-career.sql
\ir seed/25-achievements.sql
\ir seed/30-network.sql
\ir seed/40-content.sql
\ir seed/50-settings.sql
\ir seed/90-seed.sql
