-- Seeds the first career tables (experience to projects) for the members in cachelab_seed_ids.
-- Row 1 of experience is the current job (the one in the headline); older rows go back in time.
CREATE OR REPLACE FUNCTION cachelab_seed_career() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO user_experience (user_id, seq, company, title, employment_type, location, started_on,
    ended_on, description)
  SELECT s.id, g.seq,
    cachelab_pick(cachelab_companies(), CASE WHEN g.seq = 1 THEN cachelab_h(s.id, 4) ELSE r.h END),
    cachelab_pick(cachelab_titles(), CASE WHEN g.seq = 1 THEN cachelab_h(s.id, 3) ELSE r.h >> 8 END),
    cachelab_pick(ARRAY['Full-time', 'Part-time', 'Contract', 'Internship'], r.h >> 16),
    split_part(cachelab_pick(cachelab_places(), r.h >> 20), '|', 1), r.started,
    CASE WHEN g.seq > 1 THEN r.started + (200 + (r.h >> 24) % 600)::integer END,
    'Led work on ' || cachelab_pick(cachelab_topics(), r.h >> 28) || ' using '
      || cachelab_pick(cachelab_skills(), r.h >> 32) || '.'
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 100, 1, 4)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 101) AS h) h0,
    LATERAL (SELECT h0.h AS h,
      date '2024-06-30' - (g.seq * 900 - 800 + h0.h % 600)::integer AS started) r;

  INSERT INTO user_education (user_id, seq, school, degree, field_of_study, started_on, ended_on,
    grade, activities)
  SELECT s.id, g.seq, cachelab_pick(cachelab_schools(), r.h),
    cachelab_pick(ARRAY['BSc', 'BA', 'MSc', 'MBA', 'PhD'], r.h >> 8),
    cachelab_pick(ARRAY['Computer Science', 'Economics', 'Nursing', 'Design', 'Physics'], r.h >> 12),
    date '2014-09-01' - (g.seq * 1500)::integer, date '2018-06-30' - (g.seq * 1500)::integer,
    CASE WHEN r.h % 3 = 0 THEN 'First class' END, 'Debate club, hackathons'
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 110, 1, 2)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 111) AS h) r;

  INSERT INTO user_certifications (user_id, seq, name, authority, license_number, issued_on,
    expires_on)
  SELECT s.id, g.seq, cachelab_pick(ARRAY['AWS Solutions Architect', 'PMP', 'CKA', 'CFA Level I',
      'Google UX Design', 'CISSP'], r.h),
    cachelab_pick(ARRAY['Amazon', 'PMI', 'CNCF', 'CFA Institute', 'Google', 'ISC2'], r.h),
    'LIC-' || (r.h % 1000000), cachelab_day(r.h >> 8, 1500),
    CASE WHEN r.h % 2 = 0 THEN cachelab_day(r.h >> 8, 1500) + 1095 END
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 120, 0, 2)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 121) AS h) r;

  INSERT INTO user_courses (user_id, seq, name, number)
  SELECT s.id, g.seq, initcap(cachelab_pick(cachelab_topics(), r.h)) || ' ' || (101 + r.h % 400),
    'C' || (r.h % 9000)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 130, 1, 3)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 131) AS h) r;

  INSERT INTO user_test_scores (user_id, seq, name, score, taken_on)
  SELECT s.id, 1, cachelab_pick(ARRAY['GRE', 'GMAT', 'TOEFL', 'IELTS'], r.h), 100 + r.h % 240,
    cachelab_day(r.h >> 8, 3000)
  FROM cachelab_seed_ids s, LATERAL (SELECT cachelab_h(s.id, 141) AS h) r
  WHERE cachelab_rows(s.id, 140, 0, 1) = 1;

  INSERT INTO user_projects (user_id, seq, name, description, url, started_on, ended_on)
  SELECT s.id, g.seq, 'Project ' || initcap(cachelab_pick(cachelab_topics(), r.h)),
    'An effort on ' || cachelab_pick(cachelab_topics(), r.h >> 8) || ' with '
      || cachelab_pick(cachelab_skills(), r.h >> 16) || '.',
    'https://example.com/projects/' || s.id || '-' || g.seq, cachelab_day(r.h >> 24, 2000),
    cachelab_day(r.h >> 24, 2000) + (30 + r.h % 300)::integer
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 150, 1, 2)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 151) AS h) r;

END
$fn$;
