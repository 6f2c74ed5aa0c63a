import { randomBytes } from 'node:crypto';
import { access, readFile, writeFile } from 'node:fs/promises';
import { LabError } from '../../../lab-errors.ts';
import { parseEnvFile, readEnvFile } from '../../../render/compose/pins.ts';

/** The secrets the compose files substitute (names from compose/.env.example). */
export const SECRET_NAMES = ['POSTGRES_PASSWORD', 'REDIS_PASSWORD'] as const;

/** Characters a password may use: it is embedded in postgres:// URLs without escaping. */
const URL_SAFE = /^[A-Za-z0-9._~-]{8,128}$/;

/** The secrets of a run, and whether this call created the file. */
export interface Secrets {
  values: Record<string, string>;
  created: boolean;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false; // absent is the answer
  }
}

/** Writes `path` from the example, with a fresh random value for each secret (mode 0600). */
export async function createSecretsFile(path: string, examplePath: string): Promise<void> {
  const example = await readFile(examplePath, 'utf8');
  const text = example
    .split('\n')
    .map((line) => {
      const name = SECRET_NAMES.find((n) => line.startsWith(`${n}=`));
      return name ? `${name}=${randomBytes(18).toString('base64url')}` : line;
    })
    .join('\n');
  await writeFile(path, text, { mode: 0o600, flag: 'wx' });
}

/** Checks every secret is set and URL-safe; CONFIG_INVALID naming the file and the variable. */
export function validateSecrets(
  values: Map<string, string>,
  source: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SECRET_NAMES) {
    const value = values.get(name) ?? '';
    if (!URL_SAFE.test(value)) {
      throw new LabError(
        'CONFIG_INVALID',
        `${source}: ${name} must be 8-128 characters from A-Z a-z 0-9 . _ ~ - (it goes into URLs)`,
      );
    }
    out[name] = value;
  }
  return out;
}

/**
 * Reads the git-ignored secrets file, creating it first from the committed example (random values)
 * when it does not exist.
 */
export async function loadSecrets(path: string, examplePath: string): Promise<Secrets> {
  const created = !(await exists(path));
  if (created) await createSecretsFile(path, examplePath);
  return { values: validateSecrets(await readEnvFile(path), path), created };
}

/** Values that let compose parse the files when the secrets do not matter (`down`, `logs`). */
export function placeholderSecrets(): Record<string, string> {
  return Object.fromEntries(SECRET_NAMES.map((name) => [name, 'unused-placeholder']));
}

/** Parses secrets text (for tests and tools that hold it in memory). */
export function parseSecrets(text: string, source: string): Record<string, string> {
  return validateSecrets(parseEnvFile(text, source), source);
}
