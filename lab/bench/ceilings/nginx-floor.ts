/** nginx's spelling of a literal dollar sign: a variable holding one. */
const DOLLAR = `\${dollar}`;

/** Raw characters per `map` value: escaped, each stays under nginx's 4 KiB token limit. */
const CHUNK_CHARS = 1_500;

// Inside single quotes nginx unescapes \\ and \'; a `$` would start a variable, so it is spelled
// through a variable that holds a dollar sign.
function escapeChunk(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$/g, DOLLAR);
}

/** The `map` blocks that hold the body in chunks, and the expression that joins them. */
export function bodyVariables(body: string): { lines: string[]; expression: string } {
  const chunks: string[] = [];
  for (let at = 0; at < body.length; at += CHUNK_CHARS)
    chunks.push(body.slice(at, at + CHUNK_CHARS));
  const lines = body.includes('$') ? ['geo $dollar { default "$"; }'] : [];
  chunks.forEach((chunk, i) => {
    lines.push(`map "" $floor_body_${i + 1} { default '${escapeChunk(chunk)}'; }`);
  });
  const expression = chunks.map((_, i) => `\${floor_body_${i + 1}}`).join('');
  return { lines, expression };
}

/**
 * nginx's floor: the same configuration as the proxy (workers, logs, keepalive), but `location /`
 * answers the body itself with `return 200` instead of proxying, so its CPU per request is what
 * nginx costs before any upstream work. nginx cannot hold a 13 KB string in one token, so the body
 * is spread over `map` variables joined in the `return`.
 */
export function nginxFloorConfig(rendered: string, body: string): string {
  const lines = rendered.split('\n');
  const start = lines.findIndex((l) => /^\s*location \/ \{$/.test(l));
  const indent = lines[start]?.match(/^\s*/)?.[0] ?? '';
  const end = lines.findIndex((l, i) => i > start && l === `${indent}}`);
  const http = lines.indexOf('http {');
  if (start < 0 || end < 0 || http < 0)
    throw new Error('no `location /` block in the nginx config');
  const { lines: maps, expression } = bodyVariables(body);
  const location = [
    `${indent}location / {`,
    `${indent}  default_type application/json;`,
    `${indent}  return 200 "${expression}";`,
    `${indent}}`,
  ];
  return [
    ...lines.slice(0, http + 1),
    ...maps.map((m) => `  ${m}`),
    ...lines.slice(http + 1, start),
    ...location,
    ...lines.slice(end + 1),
  ].join('\n');
}
