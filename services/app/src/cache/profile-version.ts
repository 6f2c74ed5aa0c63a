/** How far into the body the leading `{"id":…,"version":…` fields can reach. */
const PREFIX_BYTES = 96;
/** The repository writes `id` then `version` first, so the version is read without parsing the whole body. */
const LEADING_VERSION = /^\{\s*"id"\s*:\s*\d+\s*,\s*"version"\s*:\s*(\d+)\s*[,}]/;

/**
 * The `version` of a profile body, for X-Profile-Version. Reads the leading fields cheaply and falls back
 * to a full parse only if the body does not start with them; undefined when there is no integer version.
 */
export function readProfileVersion(body: Buffer): number | undefined {
  const prefix = body.subarray(0, PREFIX_BYTES).toString('latin1');
  const match = LEADING_VERSION.exec(prefix);
  if (match?.[1] !== undefined) return Number(match[1]);
  return parseVersion(body);
}

function parseVersion(body: Buffer): number | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const version = (parsed as { version?: unknown }).version;
    return Number.isSafeInteger(version) ? (version as number) : undefined;
  } catch {
    // A body that is not JSON has no version to report; the bytes are still served as they are.
    return undefined;
  }
}
