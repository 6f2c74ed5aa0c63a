import type pg from 'pg';
import type { ProfilePatch } from './profile-patch.ts';

/** Patch fields stored as columns of `users`, mapped to their column (a fixed list: no SQL from input). */
const USER_COLUMNS = {
  full_name: 'full_name',
  headline: 'headline',
  about: 'about',
  location: 'location',
} as const satisfies Partial<Record<keyof ProfilePatch, string>>;

/**
 * The current row of user_location follows users.location. The label is free text, so the city is its
 * first comma-separated part and country and time zone become unknown (NULL): nothing here geocodes.
 * A member without a current row gets one.
 */
const LOCATION_SQL = `
WITH updated AS (
  UPDATE user_location
  SET label = $2, city = $3, country_code = NULL, timezone = NULL, since = current_date
  WHERE user_id = $1 AND is_current
  RETURNING 1
)
INSERT INTO user_location (user_id, seq, label, city, is_current, since)
SELECT $1, COALESCE((SELECT max(seq) FROM user_location WHERE user_id = $1), 0) + 1, $2, $3, true,
  current_date
WHERE NOT EXISTS (SELECT 1 FROM updated)`;

const OPEN_TO_WORK_SQL = `
INSERT INTO user_open_to_work (user_id, enabled, since)
VALUES ($1, $2, CASE WHEN $2 THEN current_date END)
ON CONFLICT (user_id) DO UPDATE SET enabled = EXCLUDED.enabled,
  since = CASE WHEN NOT EXCLUDED.enabled THEN NULL
    WHEN user_open_to_work.enabled THEN user_open_to_work.since ELSE current_date END`;

/** UPDATE users … version = version + 1 for the patch's user columns; its row lock serialises writers. */
function userUpdate(id: number, patch: ProfilePatch): pg.QueryConfig {
  const sets = ['version = version + 1', 'updated_at = now()'];
  const values: unknown[] = [id];
  for (const [field, column] of Object.entries(USER_COLUMNS)) {
    const value = patch[field as keyof typeof USER_COLUMNS];
    if (value === undefined) continue;
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  }
  const text = `UPDATE users SET ${sets.join(', ')} WHERE id = $1 RETURNING version`;
  return { text, values };
}

/**
 * Applies `patch` to member `id` on a client inside a transaction. The users row is updated first, so
 * concurrent patches of one member queue on its row lock and each gets the next version.
 * Returns the new version, or undefined when the member does not exist.
 */
export async function applyProfilePatch(
  client: pg.ClientBase,
  id: number,
  patch: ProfilePatch,
): Promise<{ version: number } | undefined> {
  const updated = await client.query<{ version: string }>(userUpdate(id, patch));
  const version = updated.rows[0]?.version;
  if (version === undefined) return undefined;
  if (patch.location !== undefined) {
    const city = patch.location.split(',')[0]?.trim() || patch.location;
    await client.query(LOCATION_SQL, [id, patch.location, city]);
  }
  if (patch.open_to_work !== undefined) {
    await client.query(OPEN_TO_WORK_SQL, [id, patch.open_to_work]);
  }
  return { version: Number(version) };
}
