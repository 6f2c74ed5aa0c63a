-- The profile aggregate: ONE query reading `users` and every user_* table, returning the whole profile as one
-- JSON document. Sections are nested objects because json_build_object takes at most 100 arguments; inside
-- a section each key is its table's name without the `user_` prefix. An unknown id returns NULL.
-- plpgsql (not SQL) so the plan is cached per session; UTC so timestamps render the same everywhere.
CREATE OR REPLACE FUNCTION cachelab_profile_json(p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE PARALLEL SAFE SET TimeZone = 'UTC' AS $fn$
BEGIN
  RETURN (
    SELECT json_build_object(
      'id', u.id, 'version', u.version, 'handle', u.handle, 'full_name', u.full_name,
      'headline', u.headline, 'about', u.about, 'location', u.location, 'industry', u.industry,
      'created_at', u.created_at, 'updated_at', u.updated_at,
      'identity', json_build_object(
        'location', (SELECT COALESCE(json_agg(json_build_object('label', t.label, 'city', t.city,
          'country_code', t.country_code, 'timezone', t.timezone, 'is_current', t.is_current,
          'since', t.since) ORDER BY t.seq), '[]') FROM user_location t WHERE t.user_id = p_id),
        'contact_info', (SELECT json_build_object('preferred_channel', t.preferred_channel,
          'address', t.address, 'birthday_month', t.birthday_month, 'birthday_day', t.birthday_day,
          'instant_messenger', t.instant_messenger) FROM user_contact_info t WHERE t.user_id = p_id),
        'websites', (SELECT COALESCE(json_agg(json_build_object('url', t.url, 'kind', t.kind)
          ORDER BY t.seq), '[]') FROM user_websites t WHERE t.user_id = p_id),
        'phone_numbers', (SELECT COALESCE(json_agg(json_build_object('number', t.number,
          'kind', t.kind, 'verified', t.verified) ORDER BY t.seq), '[]')
          FROM user_phone_numbers t WHERE t.user_id = p_id),
        'emails', (SELECT COALESCE(json_agg(json_build_object('email', t.email,
          'is_primary', t.is_primary, 'verified', t.verified) ORDER BY t.seq), '[]')
          FROM user_emails t WHERE t.user_id = p_id),
        'profile_photos', (SELECT COALESCE(json_agg(json_build_object('url', t.url,
          'width', t.width, 'height', t.height, 'is_current', t.is_current,
          'uploaded_at', t.uploaded_at) ORDER BY t.seq), '[]')
          FROM user_profile_photos t WHERE t.user_id = p_id),
        'verifications', (SELECT COALESCE(json_agg(json_build_object('kind', t.kind,
          'provider', t.provider, 'verified_at', t.verified_at) ORDER BY t.seq), '[]')
          FROM user_verifications t WHERE t.user_id = p_id)
      ),
      'career', json_build_object(
        'experience', (SELECT COALESCE(json_agg(json_build_object('company', t.company,
          'title', t.title, 'employment_type', t.employment_type, 'location', t.location,
          'started_on', t.started_on, 'ended_on', t.ended_on, 'description', t.description)
          ORDER BY t.seq), '[]') FROM user_experience t WHERE t.user_id = p_id),
        'education', (SELECT COALESCE(json_agg(json_build_object('school', t.school,
          'degree', t.degree, 'field_of_study', t.field_of_study, 'started_on', t.started_on,
          'ended_on', t.ended_on, 'grade', t.grade, 'activities', t.activities) ORDER BY t.seq),
          '[]') FROM user_education t WHERE t.user_id = p_id),
        'certifications', (SELECT COALESCE(json_agg(json_build_object('name', t.name,
          'authority', t.authority, 'license_number', t.license_number, 'issued_on', t.issued_on,
          'expires_on', t.expires_on) ORDER BY t.seq), '[]')
          FROM user_certifications t WHERE t.user_id = p_id),
        'courses', (SELECT COALESCE(json_agg(json_build_object('name', t.name, 'number', t.number)
          ORDER BY t.seq), '[]') FROM user_courses t WHERE t.user_id = p_id),
        'test_scores', (SELECT COALESCE(json_agg(json_build_object('name', t.name,
          'score', t.score, 'taken_on', t.taken_on) ORDER BY t.seq), '[]')
          FROM user_test_scores t WHERE t.user_id = p_id),
        'projects', (SELECT COALESCE(json_agg(json_build_object('name', t.name,
          'description', t.description, 'url', t.url, 'started_on', t.started_on,
          'ended_on', t.ended_on) ORDER BY t.seq), '[]') FROM user_projects t WHERE t.user_id = p_id),
        'publications', (SELECT COALESCE(json_agg(json_build_object('title', t.title,
          'publisher', t.publisher, 'published_on', t.published_on, 'url', t.url) ORDER BY t.seq),
          '[]') FROM user_publications t WHERE t.user_id = p_id),
        'patents', (SELECT COALESCE(json_agg(json_build_object('title', t.title,
          'office', t.office, 'patent_number', t.patent_number, 'status', t.status,
          'filed_on', t.filed_on) ORDER BY t.seq), '[]') FROM user_patents t WHERE t.user_id = p_id),
        'honors', (SELECT COALESCE(json_agg(json_build_object('title', t.title,
          'issuer', t.issuer, 'awarded_on', t.awarded_on) ORDER BY t.seq), '[]')
          FROM user_honors t WHERE t.user_id = p_id),
        'organizations', (SELECT COALESCE(json_agg(json_build_object('name', t.name,
          'position', t.position, 'started_on', t.started_on, 'ended_on', t.ended_on)
          ORDER BY t.seq), '[]') FROM user_organizations t WHERE t.user_id = p_id),
        'volunteering', (SELECT COALESCE(json_agg(json_build_object('organization',
          t.organization, 'role', t.role, 'cause', t.cause, 'started_on', t.started_on,
          'ended_on', t.ended_on) ORDER BY t.seq), '[]')
          FROM user_volunteering t WHERE t.user_id = p_id),
        'skills', (SELECT COALESCE(json_agg(json_build_object('name', t.name,
          'proficiency', t.proficiency, 'endorsement_count', t.endorsement_count)
          ORDER BY t.seq), '[]') FROM user_skills t WHERE t.user_id = p_id),
        'languages', (SELECT COALESCE(json_agg(json_build_object('language', t.language,
          'proficiency', t.proficiency) ORDER BY t.seq), '[]')
          FROM user_languages t WHERE t.user_id = p_id),
        'career_breaks', (SELECT COALESCE(json_agg(json_build_object('kind', t.kind,
          'started_on', t.started_on, 'ended_on', t.ended_on) ORDER BY t.seq), '[]')
          FROM user_career_breaks t WHERE t.user_id = p_id),
        'services', (SELECT COALESCE(json_agg(json_build_object('name', t.name,
          'description', t.description, 'hourly_rate_usd', t.hourly_rate_usd) ORDER BY t.seq),
          '[]') FROM user_services t WHERE t.user_id = p_id)
      ),
      'network', json_build_object(
        'connections', (SELECT COALESCE(json_agg(json_build_object('id', t.connection_id,
          'full_name', o.full_name, 'headline', o.headline, 'connected_at', t.connected_at)
          ORDER BY t.connected_at DESC, t.seq), '[]') FROM user_connections t
          LEFT JOIN users o ON o.id = t.connection_id WHERE t.user_id = p_id),
        'followers', (SELECT COALESCE(json_agg(json_build_object('id', t.follower_id,
          'followed_at', t.followed_at) ORDER BY t.seq), '[]')
          FROM user_followers t WHERE t.user_id = p_id),
        'following', (SELECT COALESCE(json_agg(json_build_object('id', t.followee_id,
          'followed_at', t.followed_at) ORDER BY t.seq), '[]')
          FROM user_following t WHERE t.user_id = p_id),
        'recommendations', (SELECT COALESCE(json_agg(json_build_object('author_id', t.author_id,
          'relationship', t.relationship, 'body', t.body, 'written_at', t.written_at)
          ORDER BY t.seq), '[]') FROM user_recommendations t WHERE t.user_id = p_id),
        'endorsements', (SELECT COALESCE(json_agg(json_build_object('skill', t.skill,
          'endorser_id', t.endorser_id, 'endorsed_at', t.endorsed_at) ORDER BY t.seq), '[]')
          FROM user_endorsements t WHERE t.user_id = p_id),
        'interests', (SELECT COALESCE(json_agg(t.topic ORDER BY t.seq), '[]')
          FROM user_interests t WHERE t.user_id = p_id),
        'groups', (SELECT COALESCE(json_agg(json_build_object('name', t.group_name,
          'role', t.role, 'joined_at', t.joined_at) ORDER BY t.seq), '[]')
          FROM user_groups t WHERE t.user_id = p_id),
        'companies_followed', (SELECT COALESCE(json_agg(json_build_object('company', t.company,
          'followed_at', t.followed_at) ORDER BY t.seq), '[]')
          FROM user_companies_followed t WHERE t.user_id = p_id),
        'schools_followed', (SELECT COALESCE(json_agg(json_build_object('school', t.school,
          'followed_at', t.followed_at) ORDER BY t.seq), '[]')
          FROM user_schools_followed t WHERE t.user_id = p_id),
        'hashtags_followed', (SELECT COALESCE(json_agg(t.hashtag ORDER BY t.seq), '[]')
          FROM user_hashtags_followed t WHERE t.user_id = p_id),
        'newsletter_subscriptions', (SELECT COALESCE(json_agg(json_build_object('newsletter',
          t.newsletter, 'subscribed_at', t.subscribed_at) ORDER BY t.seq), '[]')
          FROM user_newsletter_subscriptions t WHERE t.user_id = p_id),
        'blocked', (SELECT COALESCE(json_agg(json_build_object('id', t.blocked_id,
          'blocked_at', t.blocked_at) ORDER BY t.seq), '[]')
          FROM user_blocked t WHERE t.user_id = p_id),
        'causes', (SELECT COALESCE(json_agg(t.cause ORDER BY t.seq), '[]')
          FROM user_causes t WHERE t.user_id = p_id),
        'events', (SELECT COALESCE(json_agg(json_build_object('title', t.title, 'role', t.role,
          'starts_at', t.starts_at) ORDER BY t.seq), '[]') FROM user_events t WHERE t.user_id = p_id)
      ),
      'content', json_build_object(
        'posts', (SELECT COALESCE(json_agg(json_build_object('seq', t.seq, 'body', t.body,
          'visibility', t.visibility, 'posted_at', t.posted_at, 'like_count', t.like_count,
          'comment_count', t.comment_count, 'repost_count', t.repost_count)
          ORDER BY t.posted_at DESC, t.seq), '[]') FROM user_posts t WHERE t.user_id = p_id),
        'post_comments', (SELECT COALESCE(json_agg(json_build_object('post_author_id',
          t.post_author_id, 'post_seq', t.post_seq, 'body', t.body, 'commented_at',
          t.commented_at) ORDER BY t.commented_at DESC, t.seq), '[]')
          FROM user_post_comments t WHERE t.user_id = p_id),
        'post_reactions', (SELECT COALESCE(json_agg(json_build_object('post_author_id',
          t.post_author_id, 'post_seq', t.post_seq, 'reaction', t.reaction, 'reacted_at',
          t.reacted_at) ORDER BY t.seq), '[]') FROM user_post_reactions t WHERE t.user_id = p_id),
        'articles', (SELECT COALESCE(json_agg(json_build_object('title', t.title,
          'excerpt', t.excerpt, 'read_minutes', t.read_minutes, 'published_at', t.published_at)
          ORDER BY t.seq), '[]') FROM user_articles t WHERE t.user_id = p_id),
        'media', (SELECT COALESCE(json_agg(json_build_object('kind', t.kind, 'url', t.url,
          'title', t.title, 'uploaded_at', t.uploaded_at) ORDER BY t.seq), '[]')
          FROM user_media t WHERE t.user_id = p_id),
        'featured', (SELECT COALESCE(json_agg(json_build_object('kind', t.kind, 'title', t.title,
          'url', t.url) ORDER BY t.seq), '[]') FROM user_featured t WHERE t.user_id = p_id),
        'activity', (SELECT COALESCE(json_agg(json_build_object('kind', t.kind,
          'summary', t.summary, 'occurred_at', t.occurred_at) ORDER BY t.occurred_at DESC, t.seq),
          '[]') FROM user_activity t WHERE t.user_id = p_id),
        'badges', (SELECT COALESCE(json_agg(json_build_object('badge', t.badge,
          'awarded_at', t.awarded_at) ORDER BY t.seq), '[]') FROM user_badges t WHERE t.user_id = p_id),
        'profile_views', (SELECT COALESCE(json_agg(json_build_object('viewer_id', t.viewer_id,
          'source', t.source, 'viewed_at', t.viewed_at) ORDER BY t.viewed_at DESC, t.seq), '[]')
          FROM user_profile_views t WHERE t.user_id = p_id),
        'newsletters', (SELECT COALESCE(json_agg(json_build_object('title', t.title,
          'cadence', t.cadence, 'subscriber_count', t.subscriber_count) ORDER BY t.seq), '[]')
          FROM user_newsletters t WHERE t.user_id = p_id),
        'learning', (SELECT COALESCE(json_agg(json_build_object('course', t.course,
          'provider', t.provider, 'progress_percent', t.progress_percent) ORDER BY t.seq), '[]')
          FROM user_learning t WHERE t.user_id = p_id),
        'search_appearances', (SELECT COALESCE(json_agg(json_build_object('week_start',
          t.week_start, 'appearances', t.appearances, 'top_keyword', t.top_keyword)
          ORDER BY t.seq), '[]') FROM user_search_appearances t WHERE t.user_id = p_id)
      ),
      'settings', json_build_object(
        'privacy_settings', (SELECT json_build_object('profile_visibility', t.profile_visibility,
          'show_email', t.show_email, 'show_connections', t.show_connections,
          'allow_messages_from', t.allow_messages_from, 'share_profile_updates',
          t.share_profile_updates) FROM user_privacy_settings t WHERE t.user_id = p_id),
        'notification_settings', (SELECT json_build_object('email_digest', t.email_digest,
          'push_enabled', t.push_enabled, 'mentions', t.mentions, 'job_alerts', t.job_alerts,
          'quiet_hours_start', t.quiet_hours_start)
          FROM user_notification_settings t WHERE t.user_id = p_id),
        'messaging_settings', (SELECT json_build_object('read_receipts', t.read_receipts,
          'typing_indicators', t.typing_indicators, 'smart_replies', t.smart_replies)
          FROM user_messaging_settings t WHERE t.user_id = p_id),
        'creator_settings', (SELECT json_build_object('creator_mode', t.creator_mode,
          'topics', t.topics, 'follow_is_primary', t.follow_is_primary)
          FROM user_creator_settings t WHERE t.user_id = p_id),
        'job_preferences', (SELECT json_build_object('job_titles', t.job_titles,
          'locations', t.locations, 'workplace_types', t.workplace_types,
          'employment_types', t.employment_types, 'min_salary_usd', t.min_salary_usd)
          FROM user_job_preferences t WHERE t.user_id = p_id),
        'open_to_work', (SELECT json_build_object('enabled', t.enabled,
          'visibility', t.visibility, 'since', t.since)
          FROM user_open_to_work t WHERE t.user_id = p_id),
        'saved_jobs', (SELECT COALESCE(json_agg(json_build_object('job_title', t.job_title,
          'company', t.company, 'saved_at', t.saved_at) ORDER BY t.seq), '[]')
          FROM user_saved_jobs t WHERE t.user_id = p_id),
        'job_applications', (SELECT COALESCE(json_agg(json_build_object('job_title',
          t.job_title, 'company', t.company, 'status', t.status, 'applied_at', t.applied_at)
          ORDER BY t.seq), '[]') FROM user_job_applications t WHERE t.user_id = p_id),
        'job_alerts', (SELECT COALESCE(json_agg(json_build_object('query', t.query,
          'location', t.location, 'frequency', t.frequency) ORDER BY t.seq), '[]')
          FROM user_job_alerts t WHERE t.user_id = p_id),
        'recent_searches', (SELECT COALESCE(json_agg(json_build_object('query', t.query,
          'searched_at', t.searched_at) ORDER BY t.seq), '[]')
          FROM user_recent_searches t WHERE t.user_id = p_id),
        'devices', (SELECT COALESCE(json_agg(json_build_object('platform', t.platform,
          'app_version', t.app_version, 'last_seen_at', t.last_seen_at) ORDER BY t.seq), '[]')
          FROM user_devices t WHERE t.user_id = p_id)
      )
    )
    FROM users u
    WHERE u.id = p_id
  );
END
$fn$;
