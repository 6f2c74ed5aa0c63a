-- Seeds the network tables for the members in cachelab_seed_ids. Peers are earlier members only
-- (cachelab_peer), hence `least(..., id - 1)` rows: member 1 has no connections.
CREATE OR REPLACE FUNCTION cachelab_seed_network() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO user_connections (user_id, seq, connection_id, connected_at)
  SELECT s.id, g.seq, cachelab_peer(s.id, cachelab_h(s.id, 301), g.seq),
    cachelab_at(cachelab_h(s.id * 64 + g.seq, 302), 2000)
  FROM cachelab_seed_ids s,
    generate_series(1, least(cachelab_rows(s.id, 300, 5, 15), s.id - 1)::integer) g(seq);

  INSERT INTO user_followers (user_id, seq, follower_id, followed_at)
  SELECT s.id, g.seq, cachelab_peer(s.id, cachelab_h(s.id, 311), g.seq),
    cachelab_at(cachelab_h(s.id * 64 + g.seq, 312), 1500)
  FROM cachelab_seed_ids s,
    generate_series(1, least(cachelab_rows(s.id, 310, 2, 6), s.id - 1)::integer) g(seq);

  INSERT INTO user_following (user_id, seq, followee_id, followed_at)
  SELECT s.id, g.seq, cachelab_peer(s.id, cachelab_h(s.id, 321), g.seq),
    cachelab_at(cachelab_h(s.id * 64 + g.seq, 322), 1500)
  FROM cachelab_seed_ids s,
    generate_series(1, least(cachelab_rows(s.id, 320, 2, 6), s.id - 1)::integer) g(seq);

  INSERT INTO user_recommendations (user_id, seq, author_id, relationship, body, written_at)
  SELECT s.id, g.seq, cachelab_peer(s.id, r.h, g.seq),
    cachelab_pick(ARRAY['managed directly', 'worked together', 'reported to', 'mentored'], r.h >> 8),
    'A pleasure to work with: sharp on ' || cachelab_pick(cachelab_skills(), r.h >> 16)
      || ' and generous with time. Would hire again.', cachelab_at(r.h >> 24, 1800)
  FROM cachelab_seed_ids s,
    generate_series(1, least(cachelab_rows(s.id, 330, 0, 2), s.id - 1)::integer) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 331) AS h) r;

  INSERT INTO user_endorsements (user_id, seq, skill, endorser_id, endorsed_at)
  SELECT s.id, g.seq, cachelab_pick(cachelab_skills(), cachelab_h(s.id, 211) + 1 + g.seq % 3),
    cachelab_peer(s.id, cachelab_h(s.id, 341), g.seq), cachelab_at(cachelab_h(s.id * 64 + g.seq, 342), 900)
  FROM cachelab_seed_ids s,
    generate_series(1, least(cachelab_rows(s.id, 340, 2, 4), s.id - 1)::integer) g(seq);

  INSERT INTO user_interests (user_id, seq, topic)
  SELECT s.id, g.seq, cachelab_pick(cachelab_topics(), cachelab_h(s.id, 351) + g.seq)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 350, 2, 4)) g(seq);

  INSERT INTO user_groups (user_id, seq, group_name, role, joined_at)
  SELECT s.id, g.seq, initcap(cachelab_pick(cachelab_topics(), cachelab_h(s.id, 361) + g.seq))
      || ' Professionals',
    cachelab_pick(ARRAY['member', 'member', 'moderator', 'owner'], cachelab_h(s.id * 64 + g.seq, 362)),
    cachelab_at(cachelab_h(s.id * 64 + g.seq, 363), 2500)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 360, 1, 3)) g(seq);

  PERFORM cachelab_seed_follows();
END
$fn$;

-- Seeds what members follow, subscribe to, block and attend.
CREATE OR REPLACE FUNCTION cachelab_seed_follows() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO user_companies_followed (user_id, seq, company, followed_at)
  SELECT s.id, g.seq, cachelab_pick(cachelab_companies(), cachelab_h(s.id, 371) + g.seq),
    cachelab_at(cachelab_h(s.id * 64 + g.seq, 372), 2000)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 370, 1, 3)) g(seq);

  INSERT INTO user_schools_followed (user_id, seq, school, followed_at)
  SELECT s.id, 1, cachelab_pick(cachelab_schools(), cachelab_h(s.id, 381)),
    cachelab_at(cachelab_h(s.id, 382), 2000)
  FROM cachelab_seed_ids s WHERE cachelab_rows(s.id, 380, 0, 1) = 1;

  INSERT INTO user_hashtags_followed (user_id, seq, hashtag)
  SELECT s.id, g.seq, '#' || replace(cachelab_pick(cachelab_topics(), cachelab_h(s.id, 391) + g.seq),
    ' ', '')
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 390, 1, 4)) g(seq);

  INSERT INTO user_newsletter_subscriptions (user_id, seq, newsletter, subscribed_at)
  SELECT s.id, g.seq, 'The ' || initcap(cachelab_pick(cachelab_topics(), cachelab_h(s.id * 64 + g.seq,
      401))) || ' Weekly', cachelab_at(cachelab_h(s.id * 64 + g.seq, 402), 1000)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 400, 0, 2)) g(seq);

  INSERT INTO user_blocked (user_id, seq, blocked_id, blocked_at)
  SELECT s.id, 1, cachelab_peer(s.id, cachelab_h(s.id, 411), 1), cachelab_at(cachelab_h(s.id, 412), 700)
  FROM cachelab_seed_ids s WHERE s.id > 1 AND cachelab_rows(s.id, 410, 0, 4) = 0;

  INSERT INTO user_causes (user_id, seq, cause)
  SELECT s.id, g.seq, cachelab_pick(ARRAY['Education', 'Health', 'Environment', 'Human Rights',
      'Animal Welfare', 'Science and Technology'], cachelab_h(s.id, 421) + g.seq)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 420, 1, 3)) g(seq);

  INSERT INTO user_events (user_id, seq, title, role, starts_at)
  SELECT s.id, g.seq, initcap(cachelab_pick(cachelab_topics(), cachelab_h(s.id * 64 + g.seq, 431)))
      || ' Summit', cachelab_pick(ARRAY['attendee', 'speaker', 'organizer'], cachelab_h(s.id * 64 + g.seq,
      432)), cachelab_at(cachelab_h(s.id * 64 + g.seq, 433), 800)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 430, 0, 2)) g(seq);
END
$fn$;
