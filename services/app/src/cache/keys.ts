/** The cache key of one profile document: `profile:<id>` (no hash tag, so ids spread over cluster slots). */
export function profileKey(id: number): string {
  return `profile:${id}`;
}

/** The id of a profile's cache key; undefined for any other key. */
export function profileIdOfKey(key: string): number | undefined {
  const match = /^profile:(\d{1,15})$/.exec(key);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
