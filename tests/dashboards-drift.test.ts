import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderArtifacts } from '../dashboards/src/dashboard-files.ts';
import { REPO_PATHS } from '../dashboards/src/provisioning.ts';
import { REPO_ROOT } from '../lab/repo-root.ts';

const FIX = 'regenerate with `make generate` and commit the result';

describe('generated dashboards and provisioning files', () => {
  const artifacts = [...renderArtifacts()];

  it.each(artifacts.map(([path]) => path))(
    '%s matches what the generator produces now',
    async (path) => {
      const committed = await readFile(join(REPO_ROOT, path), 'utf8');
      expect(committed, `${path} is stale: ${FIX}`).toBe(renderArtifacts().get(path));
    },
  );

  it('dashboards/generated holds no dashboard the generator no longer produces', async () => {
    const files = await readdir(join(REPO_ROOT, REPO_PATHS.generated));
    const expected = artifacts
      .map(([path]) => path)
      .filter((path) => path.startsWith(`${REPO_PATHS.generated}/`))
      .map((path) => path.slice(REPO_PATHS.generated.length + 1));
    expect(files.filter((f) => f.endsWith('.json')).sort(), FIX).toEqual(expected.sort());
  });

  it('generates byte-identical output twice (deterministic)', () => {
    expect([...renderArtifacts()]).toEqual(artifacts);
  });
});
