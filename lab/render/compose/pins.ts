import { readFile } from 'node:fs/promises';
import { LabError } from '../../lab-errors.ts';

/** Parses a pins or secrets file: plain KEY=VALUE lines, `#` comments and blank lines ignored. */
export function parseEnvFile(text: string, source: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) {
      throw new LabError('CONFIG_INVALID', `${source}:${index + 1}: not a KEY=VALUE line: ${line}`);
    }
    values.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return values;
}

/** Reads and parses a KEY=VALUE file; CONFIG_INVALID naming the file when it cannot be read. */
export async function readEnvFile(path: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new LabError('CONFIG_INVALID', `cannot read ${path}`, { cause: error });
  }
  return parseEnvFile(text, path);
}

/** The value of `key`; CONFIG_INVALID naming the file when it is missing or empty. */
export function requireValue(values: Map<string, string>, key: string, source: string): string {
  const value = values.get(key);
  if (!value) throw new LabError('CONFIG_INVALID', `${source} has no ${key}`);
  return value;
}
