// The folder-cycle half of the dependency rule, run by `npm run check` after .dependency-cruiser.cjs.
// It leaves out the base modules directly under lab/ (lab-errors.ts, lab-config.ts, repo-root.ts): a folder's
// dependencies include those of every folder inside it, so with them `lab` would be a folder that
// everything depends on and that depends on everything lab/ imports, and every folder would look like
// part of one cycle. They import no layer (the base rule of .dependency-cruiser.cjs), so they close none.
const { options } = require('./.dependency-cruiser.cjs');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycle',
      comment:
        'two folders that import each other are one concept split in two, or a layer upside down',
      severity: 'error',
      scope: 'folder',
      from: { path: '^(?:lab|services|loadtests|dashboards)/' },
      to: { circular: true },
    },
  ],
  options: {
    ...options,
    exclude: { path: [options.exclude.path, '^lab/[^/]+\\.ts$'] },
  },
};
