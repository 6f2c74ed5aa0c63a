import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './repo-root.ts';

/** The `### \`path\`` headings of ARCHITECTURE.md's code map. */
function codeMapHeadings(doc: string): string[] {
  const start = doc.indexOf('\n## Code map');
  const end = doc.indexOf('\n## ', start + 1);
  if (start < 0 || end < 0) throw new Error('ARCHITECTURE.md has no "## Code map" section');
  const section = doc.slice(start, end);
  return [...section.matchAll(/^### (.+)$/gm)].flatMap((m) =>
    [...(m[1] ?? '').matchAll(/`([^`]+)`/g)].map((p) => p[1] ?? ''),
  );
}

async function folders(parent: string): Promise<string[]> {
  const entries = await readdir(join(REPO_ROOT, parent), { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => `${parent}/${e.name}`);
}

let headings: string[] = [];

beforeAll(async () => {
  headings = codeMapHeadings(await readFile(join(REPO_ROOT, 'ARCHITECTURE.md'), 'utf8'));
});

describe('ARCHITECTURE.md code map', () => {
  it('describes every top-level folder of lab/ and of services/', async () => {
    const wanted = [...(await folders('lab')), ...(await folders('services'))];
    expect(wanted.filter((folder) => !headings.includes(folder))).toEqual([]);
  });

  it('describes no folder that does not exist', async () => {
    const existing = new Set([
      ...(await folders('lab')),
      ...(await folders('services')),
      ...(await readdir(REPO_ROOT)),
    ]);
    expect(headings.filter((heading) => !existing.has(heading))).toEqual([]);
  });

  it('is linked from the README', async () => {
    const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('(ARCHITECTURE.md)');
  });
});
