-- Pure, inlinable helpers for the seed. `k` is a row key: member id, or id * 64 + row number.

-- A non-negative 63-bit hash of (k, salt): the only source of variety in the seed.
CREATE OR REPLACE FUNCTION cachelab_h(k bigint, salt integer) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN hashint8extended(k, salt) & 9223372036854775807;

-- How many rows a member gets in one table: lo..hi inclusive.
CREATE OR REPLACE FUNCTION cachelab_rows(id bigint, salt integer, lo integer, hi integer)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN lo + (cachelab_h(id, salt) % (hi - lo + 1))::integer;

-- One element of a word list.
CREATE OR REPLACE FUNCTION cachelab_pick(words text[], k bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN words[1 + (k % cardinality(words))::integer];

-- A day within span_days before the seed's fixed "today" (no now(): the seed must be reproducible).
CREATE OR REPLACE FUNCTION cachelab_day(k bigint, span_days integer) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN date '2024-06-30' - (k % span_days)::integer;

-- An instant within span_days before the seed's fixed "now" (2024-06-30 12:00 UTC as a Unix time):
-- to_timestamp is an order of magnitude cheaper than interval arithmetic, which matters at 10M rows.
CREATE OR REPLACE FUNCTION cachelab_at(k bigint, span_days integer) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN to_timestamp(1719748800 - k % (span_days * 86400::bigint));

CREATE OR REPLACE FUNCTION cachelab_first_names() RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['Ada', 'Ben', 'Chloé', 'Dmitri', 'Elif', 'Farah', 'Goran', 'Hana', 'Ivan', 'Jana', 'Kofi',
  'Lena', 'Mateo', 'Nadia', 'Omar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tomás', 'Uma', 'Viktor',
  'Wen', 'Ximena', 'Yusuf', 'Zoe', 'Arjun', 'Bianca', 'Carlos', 'Dana', 'Emeka', 'Freya'];

CREATE OR REPLACE FUNCTION cachelab_last_names() RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['Okafor', 'Schmidt', 'García', 'Nakamura', 'Kowalski', 'Haddad', 'Johansson', 'Rossi',
  'Novak', 'Dubois', 'Singh', 'Chen', 'Murphy', 'Silva', 'Yilmaz', 'Petrov', 'Mensah', 'Larsen',
  'Moreau', 'Kim', 'Fischer', 'Ivanova', 'Costa', 'Nguyen', 'Becker', 'Ali', 'Horvat', 'Walsh'];

-- 'Label|City|CC|Time zone'.
CREATE OR REPLACE FUNCTION cachelab_places() RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['Berlin, Germany|Berlin|DE|Europe/Berlin', 'Paris, France|Paris|FR|Europe/Paris',
  'Lagos, Nigeria|Lagos|NG|Africa/Lagos', 'Austin, Texas|Austin|US|America/Chicago',
  'São Paulo, Brazil|São Paulo|BR|America/Sao_Paulo', 'Bengaluru, India|Bengaluru|IN|Asia/Kolkata',
  'Tokyo, Japan|Tokyo|JP|Asia/Tokyo', 'Toronto, Canada|Toronto|CA|America/Toronto',
  'Warsaw, Poland|Warsaw|PL|Europe/Warsaw', 'Nairobi, Kenya|Nairobi|KE|Africa/Nairobi',
  'Melbourne, Australia|Melbourne|AU|Australia/Melbourne', 'Dublin, Ireland|Dublin|IE|Europe/Dublin'];

CREATE OR REPLACE FUNCTION cachelab_companies() RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['Northwind Analytics', 'Bluefin Robotics', 'Kestrel Health', 'Orbital Freight',
  'Lumen Bank', 'Granite Cloud', 'Papaya Retail', 'Helix Biotech', 'Tandem Energy', 'Quill Media',
  'Saffron Foods', 'Vertex Logistics', 'Mosaic Games', 'Cobalt Security', 'Fjord Insurance'];

CREATE OR REPLACE FUNCTION cachelab_titles() RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['Software Engineer', 'Staff Engineer', 'Product Manager', 'Data Scientist',
  'Engineering Manager', 'UX Designer', 'Site Reliability Engineer', 'Account Executive',
  'Marketing Lead', 'Financial Analyst', 'Recruiter', 'Solutions Architect', 'Nurse Practitioner',
  'Operations Director', 'Research Scientist', 'Technical Writer'];

CREATE OR REPLACE FUNCTION cachelab_schools() RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['University of Lagos', 'TU München', 'Sorbonne Université', 'University of Texas',
  'Universidade de São Paulo', 'IIT Bombay', 'University of Tokyo', 'University of Toronto',
  'Warsaw University of Technology', 'University of Nairobi', 'Trinity College Dublin'];

CREATE OR REPLACE FUNCTION cachelab_skills() RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['TypeScript', 'PostgreSQL', 'Kubernetes', 'Product Strategy', 'Machine Learning',
  'Negotiation', 'Public Speaking', 'Go', 'Rust', 'Figma', 'SQL', 'Leadership', 'Python',
  'Distributed Systems', 'Financial Modeling', 'Copywriting', 'Recruiting', 'Redis', 'AWS', 'Sales'];

CREATE OR REPLACE FUNCTION cachelab_topics() RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['caching', 'remote work', 'climate tech', 'open source', 'career growth', 'hiring',
  'databases', 'design systems', 'fintech', 'healthcare', 'AI safety', 'leadership', 'startups',
  'supply chains', 'mentoring', 'observability'];

-- The seq-th other member of member `id`, always an earlier member (1..id-1), so a member's data does not
-- depend on how many members were seeded. 7919 is prime: distinct peers unless id - 1 is a multiple of it.
CREATE OR REPLACE FUNCTION cachelab_peer(id bigint, base bigint, seq integer) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN 1 + (base + seq * 7919::bigint) % greatest(id - 1, 1);
