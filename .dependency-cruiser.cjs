// The layer rule of ARCHITECTURE.md, checked by `npm run check` (depcruise). Layers are named by
// path, so a folder added later falls into its layer by where it lives: lab/render/k8s is render,
// lab/run/driver/swarm is run, lab/measure/… is measure, and any other folder directly under lab/
// (capacity/, scenario/, …) is an analysis folder beside compare/ and bench/.

/** The harness's layers, lowest first; a module may import its own layer and the ones before it. */
const LAYERS = [
  { name: 'topology', path: '^lab/topology/' },
  { name: 'render', path: '^lab/render/' },
  { name: 'run', path: '^lab/run/' },
  { name: 'measure', path: '^lab/measure/' },
  { name: 'simulate', path: '^lab/simulate/' },
  { name: 'report', path: '^lab/report/' },
  {
    name: 'analysis',
    path: '^lab/(?!(?:topology|render|run|measure|simulate|report|cli|bin|text)/)[^/]+/',
  },
  { name: 'cli', path: '^lab/(?:cli|bin)/' },
];

/** Base modules every layer (and dashboards/src) may import. */
const BASE = '^lab/(?:lab-errors\\.ts|lab-config\\.ts|repo-root\\.ts|text/)';

/** dashboards/src renders from the model, so it sits with lab/render: above topology. */
const DASHBOARDS = '^dashboards/';

/** One rule per layer: nothing in it imports a layer that comes after it. */
const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `${layer.name}-imports-upward`,
  comment: `lab/${layer.name} may import only ${LAYERS.slice(0, i + 1)
    .map((l) => l.name)
    .join(', ')} and the base modules (ARCHITECTURE.md, "Code map")`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: [...LAYERS.slice(i + 1).map((l) => l.path), ...(i === 0 ? [DASHBOARDS] : [])] },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'base-imports-a-layer',
      comment:
        'lab/lab-errors.ts, lab-config.ts, repo-root.ts and lab/text/ are importable from anywhere, so they import no layer',
      severity: 'error',
      from: { path: BASE },
      to: { path: '^lab/', pathNot: BASE },
    },
    {
      name: 'only-cli-imports-cli',
      comment:
        'lab/cli parses arguments and prints; command logic lives in the domain folders and never calls back into it',
      severity: 'error',
      from: { pathNot: '^lab/(?:cli|bin)/' },
      to: { path: '^lab/cli/' },
    },
    {
      name: 'services-and-loadtests-import-no-lab',
      comment:
        'the app and the workload stand alone; the harness imports them, never the other way round',
      severity: 'error',
      from: { path: '^(?:services|loadtests)/' },
      to: { path: '^(?:lab|dashboards|tests)/' },
    },
    {
      name: 'dashboards-import-topology-and-render-only',
      comment:
        'dashboards are rendered from the model: they may import lab/topology, lab/render and the base modules',
      severity: 'error',
      from: { path: DASHBOARDS },
      to: { path: '^lab/', pathNot: [BASE, '^lab/(?:topology|render)/'] },
    },
    {
      name: 'only-tests-import-tests',
      comment:
        'tests/ holds the integration suites and their helpers; product code never needs them',
      severity: 'error',
      from: { pathNot: '^tests/' },
      to: { path: '^tests/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that does not resolve is a typo or a file that moved',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(?:node_modules|dist|results|\\.lab)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mjs', '.js', '.json'],
    },
  },
};
