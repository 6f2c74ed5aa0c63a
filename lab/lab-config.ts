import { resolve } from 'node:path';
import { z } from 'zod';
import { LabError } from './lab-errors.ts';

/** Drivers the lab knows how to run a topology with. */
export const DRIVER_NAMES = ['native', 'compose', 'swarm', 'remote'] as const;
/** A driver name. */
export type DriverName = (typeof DRIVER_NAMES)[number];

/** Which Docker Compose CLI the compose driver runs. */
export const COMPOSE_FLAVORS = ['auto', 'v1', 'v2'] as const;
/** A compose CLI choice. */
export type ComposeFlavor = (typeof COMPOSE_FLAVORS)[number];

const port = z.coerce.number().int().min(1).max(65_535);

// The only place lab code reads environment variables (the app reads its own in services/app/src/config.ts).
const envSchema = z.object({
  /** Port nginx listens on (127.0.0.1); the CLI flag --http-port wins. */
  LAB_HTTP_PORT: port.default(8080),
  /** Folder for run folders and the state file; relative to the working directory. */
  LAB_DIR: z.string().min(1).default('.lab'),
  /** Log level of the app servers the lab starts. */
  LAB_APP_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Driver chosen by `make up DRIVER=…`; the CLI flag --driver wins. */
  DRIVER: z.enum(DRIVER_NAMES).optional(),
  /** Compose driver images: 1 = offline images, 0 = official images, unset = decide by what is present. */
  CACHELAB_OFFLINE: z.enum(['0', '1']).optional(),
  /** Compose CLI of the compose driver: v2 (`docker compose`), v1 (`docker-compose`) or auto (v2 first). */
  LAB_COMPOSE: z.enum(COMPOSE_FLAVORS).default('auto'),
});

/** Lab settings from the environment, validated. */
export interface LabConfig {
  httpPort: number;
  /** Absolute path of the lab folder (.lab). */
  labDir: string;
  /** Where `cachelab up` records what it started. */
  stateFile: string;
  appLogLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  driver: DriverName | undefined;
  /** CACHELAB_OFFLINE: true/false forces offline/official images; undefined lets the driver decide. */
  offline: boolean | undefined;
  composeFlavor: ComposeFlavor;
}

/** Reads and validates the LAB_* variables (and DRIVER); an invalid value throws CONFIG_INVALID. */
export function loadLabConfig(
  env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env,
): LabConfig {
  const defined = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(defined);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new LabError('CONFIG_INVALID', `invalid lab environment: ${problems.join('; ')}`);
  }
  const labDir = resolve(parsed.data.LAB_DIR);
  return {
    httpPort: parsed.data.LAB_HTTP_PORT,
    labDir,
    stateFile: resolve(labDir, 'current.json'),
    appLogLevel: parsed.data.LAB_APP_LOG_LEVEL,
    driver: parsed.data.DRIVER,
    offline:
      parsed.data.CACHELAB_OFFLINE === undefined ? undefined : parsed.data.CACHELAB_OFFLINE === '1',
    composeFlavor: parsed.data.LAB_COMPOSE,
  };
}
