-- Seeds the settings and job-seeking tables for the members in cachelab_seed_ids.
CREATE OR REPLACE FUNCTION cachelab_seed_settings() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO user_privacy_settings (user_id, profile_visibility, show_email, show_connections,
    allow_messages_from, share_profile_updates)
  SELECT s.id, cachelab_pick(ARRAY['public', 'public', 'connections'], r.h),
    cachelab_pick(ARRAY['nobody', 'connections', 'everyone'], r.h >> 4), (r.h >> 8) % 4 > 0,
    cachelab_pick(ARRAY['everyone', 'connections'], r.h >> 12), (r.h >> 16) % 2 = 0
  FROM cachelab_seed_ids s, LATERAL (SELECT cachelab_h(s.id, 701) AS h) r;

  INSERT INTO user_notification_settings (user_id, email_digest, push_enabled, mentions, job_alerts,
    quiet_hours_start)
  SELECT s.id, cachelab_pick(ARRAY['daily', 'weekly', 'off'], r.h), (r.h >> 4) % 3 > 0,
    (r.h >> 8) % 5 > 0, (r.h >> 12) % 2 = 0, CASE WHEN r.h % 3 = 0 THEN 22 END
  FROM cachelab_seed_ids s, LATERAL (SELECT cachelab_h(s.id, 711) AS h) r;

  INSERT INTO user_messaging_settings (user_id, read_receipts, typing_indicators, smart_replies)
  SELECT s.id, r.h % 3 > 0, (r.h >> 4) % 3 > 0, (r.h >> 8) % 2 = 0
  FROM cachelab_seed_ids s, LATERAL (SELECT cachelab_h(s.id, 721) AS h) r;

  INSERT INTO user_creator_settings (user_id, creator_mode, topics, follow_is_primary)
  SELECT s.id, r.h % 4 = 0, ARRAY['#' || replace(cachelab_pick(cachelab_topics(), r.h >> 4), ' ', ''),
      '#' || replace(cachelab_pick(cachelab_topics(), r.h >> 12), ' ', '')], r.h % 8 = 0
  FROM cachelab_seed_ids s, LATERAL (SELECT cachelab_h(s.id, 731) AS h) r;

  -- Members open to work (1 in 4) get a row enabled since some day; the others a disabled row.
  INSERT INTO user_job_preferences (user_id, job_titles, locations, workplace_types, employment_types,
    min_salary_usd)
  SELECT s.id, ARRAY[cachelab_pick(cachelab_titles(), cachelab_h(s.id, 3)),
      cachelab_pick(cachelab_titles(), r.h)],
    ARRAY[split_part(cachelab_pick(cachelab_places(), cachelab_h(s.id, 7)), '|', 1)],
    ARRAY[cachelab_pick(ARRAY['remote', 'hybrid', 'on-site'], r.h >> 8)], ARRAY['Full-time'],
    40000 + ((r.h >> 12) % 120) * 1000
  FROM cachelab_seed_ids s, LATERAL (SELECT cachelab_h(s.id, 741) AS h) r;

  INSERT INTO user_open_to_work (user_id, enabled, visibility, since)
  SELECT s.id, r.h % 4 = 0, cachelab_pick(ARRAY['recruiters', 'everyone'], r.h >> 4),
    CASE WHEN r.h % 4 = 0 THEN cachelab_day(r.h >> 8, 120) END
  FROM cachelab_seed_ids s, LATERAL (SELECT cachelab_h(s.id, 751) AS h) r;

  PERFORM cachelab_seed_jobs();
END
$fn$;

-- Seeds saved jobs, applications, alerts, recent searches and devices.
CREATE OR REPLACE FUNCTION cachelab_seed_jobs() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO user_saved_jobs (user_id, seq, job_title, company, saved_at)
  SELECT s.id, g.seq, cachelab_pick(cachelab_titles(), r.h), cachelab_pick(cachelab_companies(), r.h >> 8),
    cachelab_at(r.h >> 16, 120)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 760, 0, 3)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 761) AS h) r;

  INSERT INTO user_job_applications (user_id, seq, job_title, company, status, applied_at)
  SELECT s.id, g.seq, cachelab_pick(cachelab_titles(), r.h), cachelab_pick(cachelab_companies(), r.h >> 8),
    cachelab_pick(ARRAY['submitted', 'viewed', 'interviewing', 'rejected', 'offer'], r.h >> 12),
    cachelab_at(r.h >> 16, 180)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 770, 0, 3)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 771) AS h) r;

  INSERT INTO user_job_alerts (user_id, seq, query, location, frequency)
  SELECT s.id, g.seq, cachelab_pick(cachelab_titles(), r.h),
    split_part(cachelab_pick(cachelab_places(), r.h >> 8), '|', 1),
    cachelab_pick(ARRAY['daily', 'weekly'], r.h >> 16)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 780, 0, 2)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 781) AS h) r;

  INSERT INTO user_recent_searches (user_id, seq, query, searched_at)
  SELECT s.id, g.seq, lower(cachelab_pick(cachelab_skills(), r.h)) || ' '
      || lower(cachelab_pick(cachelab_titles(), r.h >> 8)), cachelab_at(r.h >> 16, 14 * g.seq)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 790, 1, 4)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 791) AS h) r;

  INSERT INTO user_devices (user_id, seq, platform, app_version, last_seen_at)
  SELECT s.id, g.seq, cachelab_pick(ARRAY['ios', 'android', 'web', 'desktop'], cachelab_h(s.id, 801)
      + g.seq), '9.' || (r.h % 40) || '.' || ((r.h >> 8) % 10), cachelab_at(r.h >> 16, 60)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 800, 1, 2)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 802) AS h) r;
END
$fn$;
