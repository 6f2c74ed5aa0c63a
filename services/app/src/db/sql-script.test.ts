import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSqlIncludes, loadSqlScript, POSTGRES_DIR } from './sql-script.ts';

function sqlFilesIn(folder: string): string[] {
  const dir = join(POSTGRES_DIR, folder);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => join(dir, name));
}

describe('psql scripts', () => {
  it('schema.sql includes every file of schema/, in name order', () => {
    expect(listSqlIncludes(join(POSTGRES_DIR, 'schema.sql'))).toEqual(sqlFilesIn('schema'));
  });

  it('seed.sql includes every file of seed/, in name order', () => {
    expect(listSqlIncludes(join(POSTGRES_DIR, 'seed.sql'))).toEqual(sqlFilesIn('seed'));
  });

  it('inlines includes and leaves no psql meta-command behind', () => {
    const sql = loadSqlScript(join(POSTGRES_DIR, 'schema.sql'));
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS users');
    expect(sql).toContain('CREATE OR REPLACE FUNCTION cachelab_profile_json');
    expect(sql.split('\n').some((line) => line.trimStart().startsWith('\\'))).toBe(false);
  });

  it('only uses idempotent DDL in the schema', () => {
    const sql = loadSqlScript(join(POSTGRES_DIR, 'schema.sql'));
    const creates = sql.match(/^\s*CREATE\s+(?!OR REPLACE)[^\n]*/gim) ?? [];
    expect(creates.length).toBeGreaterThan(50);
    for (const statement of creates) expect(statement).toMatch(/IF NOT EXISTS/i);
  });
});
