import { fileURLToPath } from 'node:url';

/** Absolute path of the cachelab repository (this file sits in lab/, one level down). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
