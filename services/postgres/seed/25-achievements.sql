-- Seeds the rest of the career tables (publications to services) for the members in cachelab_seed_ids.
CREATE OR REPLACE FUNCTION cachelab_seed_achievements() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO user_publications (user_id, seq, title, publisher, published_on, url)
  SELECT s.id, 1, 'Notes on ' || cachelab_pick(cachelab_topics(), r.h),
    cachelab_pick(ARRAY['ACM Queue', 'IEEE Software', 'Medium', 'The Lancet', 'HBR'], r.h >> 8),
    cachelab_day(r.h >> 16, 2500), 'https://example.com/pub/' || s.id
  FROM cachelab_seed_ids s, LATERAL (SELECT cachelab_h(s.id, 161) AS h) r
  WHERE cachelab_rows(s.id, 160, 0, 1) = 1;

  INSERT INTO user_patents (user_id, seq, title, office, patent_number, status, filed_on)
  SELECT s.id, 1, 'Method for ' || cachelab_pick(cachelab_topics(), r.h),
    cachelab_pick(ARRAY['USPTO', 'EPO', 'JPO'], r.h >> 8), 'P' || (r.h % 10000000),
    cachelab_pick(ARRAY['pending', 'granted'], r.h >> 12), cachelab_day(r.h >> 16, 3000)
  FROM cachelab_seed_ids s, LATERAL (SELECT cachelab_h(s.id, 171) AS h) r
  WHERE cachelab_rows(s.id, 170, 0, 3) = 0;

  INSERT INTO user_honors (user_id, seq, title, issuer, awarded_on)
  SELECT s.id, g.seq, cachelab_pick(ARRAY['Employee of the Year', 'Hackathon Winner',
      'Dean''s List', 'Top Speaker'], r.h), cachelab_pick(cachelab_companies(), r.h >> 8),
    cachelab_day(r.h >> 16, 3000)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 180, 0, 2)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 181) AS h) r;

  INSERT INTO user_organizations (user_id, seq, name, position, started_on, ended_on)
  SELECT s.id, 1, cachelab_pick(ARRAY['IEEE', 'Women Who Code', 'Toastmasters', 'PyLadies'], r.h),
    cachelab_pick(ARRAY['Member', 'Chapter Lead', 'Treasurer'], r.h >> 8),
    cachelab_day(r.h >> 16, 3000), NULL
  FROM cachelab_seed_ids s, LATERAL (SELECT cachelab_h(s.id, 191) AS h) r
  WHERE cachelab_rows(s.id, 190, 0, 1) = 1;

  INSERT INTO user_volunteering (user_id, seq, organization, role, cause, started_on, ended_on)
  SELECT s.id, g.seq, cachelab_pick(ARRAY['Red Cross', 'Code.org', 'Food Bank', 'Habitat'], r.h),
    cachelab_pick(ARRAY['Mentor', 'Volunteer', 'Board Member'], r.h >> 8),
    cachelab_pick(ARRAY['Education', 'Health', 'Poverty Alleviation', 'Environment'], r.h >> 12),
    cachelab_day(r.h >> 16, 3000), cachelab_day(r.h >> 16, 3000) + 365
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 200, 0, 2)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 201) AS h) r;

  INSERT INTO user_skills (user_id, seq, name, proficiency, endorsement_count)
  SELECT s.id, g.seq, cachelab_pick(cachelab_skills(), cachelab_h(s.id, 211) + g.seq),
    cachelab_pick(ARRAY['beginner', 'intermediate', 'advanced', 'expert'], r.h), (r.h >> 8) % 99
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 210, 3, 6)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 212) AS h) r;

  INSERT INTO user_languages (user_id, seq, language, proficiency)
  SELECT s.id, g.seq, cachelab_pick(ARRAY['English', 'Spanish', 'German', 'Hindi', 'Yoruba',
      'Japanese', 'Polish', 'French', 'Portuguese'], cachelab_h(s.id, 221) + g.seq),
    cachelab_pick(ARRAY['native', 'professional', 'limited working'], cachelab_h(s.id * 64 + g.seq, 222))
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 220, 1, 3)) g(seq);

  INSERT INTO user_career_breaks (user_id, seq, kind, started_on, ended_on)
  SELECT s.id, 1, cachelab_pick(ARRAY['Parental leave', 'Travel', 'Caregiving', 'Study'], r.h),
    cachelab_day(r.h >> 8, 3000), cachelab_day(r.h >> 8, 3000) + 180
  FROM cachelab_seed_ids s, LATERAL (SELECT cachelab_h(s.id, 231) AS h) r
  WHERE cachelab_rows(s.id, 230, 0, 3) = 0;

  INSERT INTO user_services (user_id, seq, name, description, hourly_rate_usd)
  SELECT s.id, g.seq, cachelab_pick(cachelab_skills(), r.h) || ' consulting',
    'Hands-on help with ' || cachelab_pick(cachelab_topics(), r.h >> 8) || '.', 50 + (r.h >> 16) % 200
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 240, 0, 2)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 241) AS h) r;
END
$fn$;
