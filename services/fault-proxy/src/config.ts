import { parseArgs } from 'node:util';
import { z } from 'zod';

/** Every setting of the fault proxy server; flags win over the environment. */
const schema = z.object({
  /** Address of the HTTP API (toxiproxy's -host; default localhost as toxiproxy). */
  host: z.string().min(1).default('127.0.0.1'),
  /** Port of the HTTP API (toxiproxy's -port). */
  port: z.coerce.number().int().min(0).max(65_535).default(8474),
  /** JSON file of proxies to create at start-up, as for POST /populate (toxiproxy's -config). */
  config: z.string().min(1).optional(),
});

/** The validated configuration. */
export type FaultProxyConfig = z.infer<typeof schema>;

/** A configuration mistake, reported in one line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses argv (`--host`, `--port`, `--config`) over FAULT_PROXY_HOST/PORT/CONFIG, once. */
export function loadConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): FaultProxyConfig {
  let flags: Record<string, string | undefined>;
  try {
    flags = parseArgs({
      args: [...argv],
      options: { host: { type: 'string' }, port: { type: 'string' }, config: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new ConfigError((error as Error).message, { cause: error });
  }
  const raw = {
    host: flags.host ?? env.FAULT_PROXY_HOST,
    port: flags.port ?? env.FAULT_PROXY_PORT,
    config: flags.config ?? env.FAULT_PROXY_CONFIG,
  };
  const defined = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = schema.safeParse(defined);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}
