/** The cache key of one profile document: `profile:<id>` (no hash tag, so ids spread over cluster slots). */
export function profileKey(id: number): string {
  return `profile:${id}`;
}
