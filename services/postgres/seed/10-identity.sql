-- Seeds `users` and the identity tables for the members listed in the temp table cachelab_seed_ids.
-- Row keys: k = id * 64 + seq. Salts are distinct per table so columns do not move in lockstep.
CREATE OR REPLACE FUNCTION cachelab_seed_identity() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO users (id, handle, full_name, headline, about, location, industry, created_at,
    updated_at, version)
  SELECT s.id, lower(f.first || '-' || f.last) || '-' || s.id, f.first || ' ' || f.last,
    cachelab_pick(cachelab_titles(), cachelab_h(s.id, 3)) || ' at '
      || cachelab_pick(cachelab_companies(), cachelab_h(s.id, 4)),
    'I work on ' || cachelab_pick(cachelab_topics(), cachelab_h(s.id, 5)) || ' and '
      || cachelab_pick(cachelab_topics(), cachelab_h(s.id, 6)) || '. Happy to talk about '
      || cachelab_pick(cachelab_skills(), cachelab_h(s.id, 8)) || '.',
    split_part(cachelab_pick(cachelab_places(), cachelab_h(s.id, 7)), '|', 1),
    cachelab_pick(ARRAY['Software', 'Finance', 'Healthcare', 'Retail', 'Energy', 'Media'],
      cachelab_h(s.id, 9)),
    cachelab_at(cachelab_h(s.id, 10), 3650), cachelab_at(cachelab_h(s.id, 11), 30), 1
  FROM cachelab_seed_ids s,
    LATERAL (SELECT cachelab_pick(cachelab_first_names(), cachelab_h(s.id, 1)) AS first,
      cachelab_pick(cachelab_last_names(), cachelab_h(s.id, 2)) AS last) f;

  -- Row 1 is the current location and matches users.location.
  INSERT INTO user_location (user_id, seq, label, city, country_code, timezone, is_current, since)
  SELECT s.id, g.seq, split_part(p.place, '|', 1), split_part(p.place, '|', 2),
    split_part(p.place, '|', 3), split_part(p.place, '|', 4), g.seq = 1,
    cachelab_day(cachelab_h(s.id * 64 + g.seq, 21), 700 * g.seq)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 20, 1, 2)) g(seq),
    LATERAL (SELECT cachelab_pick(cachelab_places(),
      CASE WHEN g.seq = 1 THEN cachelab_h(s.id, 7) ELSE cachelab_h(s.id * 64 + g.seq, 7) END) AS place) p;

  INSERT INTO user_contact_info (user_id, preferred_channel, address, birthday_month, birthday_day,
    instant_messenger)
  SELECT s.id, cachelab_pick(ARRAY['email', 'phone', 'inmail'], cachelab_h(s.id, 30)),
    (1 + cachelab_h(s.id, 31) % 200) || ' Market Street', 1 + cachelab_h(s.id, 32) % 12,
    1 + cachelab_h(s.id, 33) % 28, 'im:' || s.id
  FROM cachelab_seed_ids s;

  INSERT INTO user_websites (user_id, seq, url, kind)
  SELECT s.id, g.seq, 'https://example.com/m/' || s.id || '/' || g.seq,
    cachelab_pick(ARRAY['personal', 'blog', 'portfolio', 'company'], cachelab_h(s.id * 64 + g.seq, 41))
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 40, 1, 2)) g(seq);

  INSERT INTO user_phone_numbers (user_id, seq, number, kind, verified)
  SELECT s.id, 1, '+1-555-' || lpad((cachelab_h(s.id, 50) % 10000000)::text, 7, '0'),
    cachelab_pick(ARRAY['mobile', 'work', 'home'], cachelab_h(s.id, 51)), cachelab_h(s.id, 52) % 4 > 0
  FROM cachelab_seed_ids s;

  INSERT INTO user_emails (user_id, seq, email, is_primary, verified)
  SELECT s.id, g.seq, 'member' || s.id || CASE WHEN g.seq = 1 THEN '' ELSE '.alt' END || '@example.com',
    g.seq = 1, cachelab_h(s.id * 64 + g.seq, 61) % 5 > 0
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 60, 1, 2)) g(seq);

  INSERT INTO user_profile_photos (user_id, seq, url, width, height, is_current, uploaded_at)
  SELECT s.id, g.seq, 'https://media.example.com/p/' || s.id || '/' || g.seq || '.jpg', 400, 400,
    g.seq = 1, cachelab_at(cachelab_h(s.id * 64 + g.seq, 71), 400 * g.seq)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 70, 1, 2)) g(seq);

  INSERT INTO user_verifications (user_id, seq, kind, provider, verified_at)
  SELECT s.id, 1, cachelab_pick(ARRAY['identity', 'workplace', 'email domain'], cachelab_h(s.id, 80)),
    cachelab_pick(ARRAY['CLEAR', 'Persona', 'Entrust'], cachelab_h(s.id, 81)),
    cachelab_at(cachelab_h(s.id, 82), 900)
  FROM cachelab_seed_ids s;
END
$fn$;
