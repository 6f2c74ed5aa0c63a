import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** services/postgres, where schema.sql and seed.sql live (this file is services/app/src/db/). */
export const POSTGRES_DIR = fileURLToPath(new URL('../../../postgres/', import.meta.url));

const INCLUDE = /^\\ir\s+(\S+)\s*$/;
const MAX_DEPTH = 8;

/**
 * Reads a psql script and inlines its `\ir file` lines (paths relative to the including file), so the
 * same files run under psql and over a plain connection. Any other psql meta-command is an error.
 */
export function loadSqlScript(path: string): string {
  return expand(resolve(path), 0, []).join('\n');
}

/** The files a script includes, in order, as absolute paths (the script itself excluded). */
export function listSqlIncludes(path: string): string[] {
  const files: string[] = [];
  expand(resolve(path), 0, files);
  return files;
}

function expand(path: string, depth: number, seen: string[]): string[] {
  if (depth > MAX_DEPTH) throw new Error(`${path}: \\ir nested more than ${MAX_DEPTH} levels`);
  const lines = readFileSync(path, 'utf8').split('\n');
  return lines.flatMap((line, index) => {
    const include = INCLUDE.exec(line.trim());
    if (include?.[1] !== undefined) {
      const target = resolve(dirname(path), include[1]);
      seen.push(target);
      return expand(target, depth + 1, seen);
    }
    if (line.trimStart().startsWith('\\')) {
      throw new Error(`${path}:${index + 1}: unsupported psql meta-command: ${line.trim()}`);
    }
    return [line];
  });
}
