import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** compose/.env: the pins file of every image the lab runs. */
export const PINS_FILE = fileURLToPath(new URL('../../compose/.env', import.meta.url));

/** Parses the pins file (plain KEY=VALUE lines, `#` comments) into a map. */
export function readPins(path = PINS_FILE): Map<string, string> {
  const pins = new Map<string, string>();
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`${path}: not a KEY=VALUE line: ${line}`);
    pins.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return pins;
}

/** The value of one pin; throws naming the key when the pins file lacks it. */
export function pin(pins: Map<string, string>, key: string): string {
  const value = pins.get(key);
  if (!value) throw new Error(`compose/.env has no ${key}`);
  return value;
}
