import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** Options of makeRunDir. */
export interface RunDirOptions {
  /** Parent directory; defaults to os.tmpdir() (tests). The lab passes its `.lab/` directory. */
  base?: string;
}

/** Creates a fresh, uniquely named run directory `<base>/<prefix>-XXXXXX` and returns its absolute path. */
export async function makeRunDir(prefix: string, options: RunDirOptions = {}): Promise<string> {
  const base = resolve(options.base ?? tmpdir());
  await mkdir(base, { recursive: true });
  const dir = await mkdtemp(join(base, `${prefix.replace(/[^\w.-]/g, '_')}-`));
  // mkdtemp makes it 0700; Postgres runs as the `postgres` user when we are root and must traverse it.
  await chmod(dir, 0o755);
  return dir;
}

/** Deletes a run directory recursively; refuses paths that are obviously not run directories. */
export async function removeRunDir(path: string): Promise<void> {
  const abs = resolve(path);
  if (!isAbsolute(path) || abs.split('/').filter(Boolean).length < 2) {
    throw new Error(`refusing to remove suspicious run dir: ${path}`);
  }
  await rm(abs, { recursive: true, force: true, maxRetries: 3 });
}
