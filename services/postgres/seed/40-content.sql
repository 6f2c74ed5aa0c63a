-- Seeds the content tables for the members in cachelab_seed_ids: posts, interactions, views.
CREATE OR REPLACE FUNCTION cachelab_seed_content() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO user_posts (user_id, seq, body, visibility, posted_at, like_count, comment_count,
    repost_count)
  SELECT s.id, g.seq, 'Thoughts on ' || cachelab_pick(cachelab_topics(), r.h) || ': what worked for us was '
      || cachelab_pick(cachelab_skills(), r.h >> 8) || ', patience and a good team. '
      || 'What is your experience with ' || cachelab_pick(cachelab_topics(), r.h >> 16) || '?',
    cachelab_pick(ARRAY['public', 'public', 'connections'], r.h >> 24),
    cachelab_at(r.h >> 28, 60 * g.seq), (r.h >> 32) % 500, (r.h >> 40) % 60, (r.h >> 48) % 30
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 500, 2, 6)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 501) AS h) r;

  INSERT INTO user_post_comments (user_id, seq, post_author_id, post_seq, body, commented_at)
  SELECT s.id, g.seq, cachelab_peer(s.id, r.h, g.seq), 1 + (r.h >> 8) % 2,
    cachelab_pick(ARRAY['Great point!', 'Congrats, well deserved.', 'We saw the same thing.',
      'Thanks for sharing this.', 'Could you say more about the trade-offs?'], r.h >> 16),
    cachelab_at(r.h >> 24, 90)
  FROM cachelab_seed_ids s,
    generate_series(1, least(cachelab_rows(s.id, 510, 1, 4), s.id - 1)::integer) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 511) AS h) r;

  INSERT INTO user_post_reactions (user_id, seq, post_author_id, post_seq, reaction, reacted_at)
  SELECT s.id, g.seq, cachelab_peer(s.id, r.h, g.seq), 1 + (r.h >> 8) % 2,
    cachelab_pick(ARRAY['like', 'celebrate', 'support', 'insightful', 'funny'], r.h >> 16),
    cachelab_at(r.h >> 24, 90)
  FROM cachelab_seed_ids s,
    generate_series(1, least(cachelab_rows(s.id, 520, 2, 6), s.id - 1)::integer) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 521) AS h) r;

  INSERT INTO user_articles (user_id, seq, title, excerpt, read_minutes, published_at)
  SELECT s.id, g.seq, 'What I learned about ' || cachelab_pick(cachelab_topics(), r.h),
    'Five years of ' || cachelab_pick(cachelab_skills(), r.h >> 8) || ' taught me more than any course.',
    3 + (r.h >> 16) % 12, cachelab_at(r.h >> 24, 1000)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 530, 0, 2)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 531) AS h) r;

  INSERT INTO user_media (user_id, seq, kind, url, title, uploaded_at)
  SELECT s.id, g.seq, cachelab_pick(ARRAY['image', 'video', 'document'], r.h),
    'https://media.example.com/m/' || s.id || '/' || g.seq,
    'Slides: ' || cachelab_pick(cachelab_topics(), r.h >> 8), cachelab_at(r.h >> 16, 1000)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 540, 1, 2)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 541) AS h) r;

  INSERT INTO user_featured (user_id, seq, kind, title, url)
  SELECT s.id, g.seq, cachelab_pick(ARRAY['post', 'article', 'link', 'media'], r.h),
    'Featured: ' || cachelab_pick(cachelab_topics(), r.h >> 8),
    'https://example.com/f/' || s.id || '/' || g.seq
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 550, 1, 3)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 551) AS h) r;

  PERFORM cachelab_seed_engagement();
END
$fn$;

-- Seeds activity, badges, profile views, newsletters, learning and search appearances.
CREATE OR REPLACE FUNCTION cachelab_seed_engagement() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO user_activity (user_id, seq, kind, summary, occurred_at)
  SELECT s.id, g.seq, a.kind, a.kind || ' about ' || cachelab_pick(cachelab_topics(), r.h >> 8),
    cachelab_at(r.h >> 16, 30 * g.seq)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 560, 2, 6)) g(seq),
    LATERAL (SELECT cachelab_h(s.id * 64 + g.seq, 561) AS h) r,
    LATERAL (SELECT cachelab_pick(ARRAY['posted', 'commented', 'reacted', 'shared'], r.h) AS kind) a;

  INSERT INTO user_badges (user_id, seq, badge, awarded_at)
  SELECT s.id, g.seq, cachelab_pick(ARRAY['Top Voice', 'Community Top Voice', 'Verified Recruiter',
      'Early Adopter', 'Mentor'], cachelab_h(s.id, 571) + g.seq), cachelab_at(cachelab_h(s.id * 64 + g.seq,
      572), 700)
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 570, 1, 2)) g(seq);

  INSERT INTO user_profile_views (user_id, seq, viewer_id, source, viewed_at)
  SELECT s.id, g.seq, cachelab_peer(s.id, cachelab_h(s.id, 581), g.seq),
    cachelab_pick(ARRAY['search', 'feed', 'people you may know', 'company page'],
      cachelab_h(s.id * 64 + g.seq, 582)), cachelab_at(cachelab_h(s.id * 64 + g.seq, 583), 90)
  FROM cachelab_seed_ids s,
    generate_series(1, least(cachelab_rows(s.id, 580, 4, 10), s.id - 1)::integer) g(seq);

  INSERT INTO user_newsletters (user_id, seq, title, cadence, subscriber_count)
  SELECT s.id, 1, 'The ' || initcap(cachelab_pick(cachelab_topics(), cachelab_h(s.id, 591))) || ' Weekly',
    cachelab_pick(ARRAY['weekly', 'biweekly', 'monthly'], cachelab_h(s.id, 592)),
    cachelab_h(s.id, 593) % 20000
  FROM cachelab_seed_ids s WHERE cachelab_rows(s.id, 590, 0, 5) = 0;

  INSERT INTO user_learning (user_id, seq, course, provider, progress_percent)
  SELECT s.id, g.seq, 'Mastering ' || cachelab_pick(cachelab_skills(), cachelab_h(s.id, 601) + g.seq),
    cachelab_pick(ARRAY['LinkedIn Learning', 'Coursera', 'edX', 'Udemy'], cachelab_h(s.id * 64 + g.seq,
      602)), (cachelab_h(s.id * 64 + g.seq, 603) % 101)::smallint
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 600, 1, 3)) g(seq);

  INSERT INTO user_search_appearances (user_id, seq, week_start, appearances, top_keyword)
  SELECT s.id, g.seq, date '2024-06-24' - 7 * g.seq, cachelab_h(s.id * 64 + g.seq, 611) % 300,
    cachelab_pick(cachelab_skills(), cachelab_h(s.id * 64 + g.seq, 612))
  FROM cachelab_seed_ids s, generate_series(1, cachelab_rows(s.id, 610, 1, 4)) g(seq);
END
$fn$;
