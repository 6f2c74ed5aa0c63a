/** The parts of a V8 .cpuprofile (as written by `node --cpu-prof`) the summary reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples?: number[];
  /** µs since the previous sample, one per sample. */
  timeDeltas?: number[];
}

/** Share of profiled time, by name. */
export interface Share {
  name: string;
  ms: number;
  share: number;
}

/** Where a profile's busy time went (idle samples are counted apart, not in the shares). */
export interface ProfileSummary {
  /** Time the thread was running JavaScript, GC, or native code. */
  busyMs: number;
  idleMs: number;
  /** Self time by where the code lives: an npm package, an app file, node internals, GC, idle. */
  selfByPlace: Share[];
  /** Self time by function (top entries). */
  selfByFunction: Share[];
  /** Time in stacks passing through each app source file or npm package (inclusive). */
  inclusiveByPlace: Share[];
}

/** Where a frame's code lives: `pkg:<name>`, `app:<file>`, `node`, or V8's own (program)/(gc)/(idle). */
export function placeOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1] !== undefined) return `pkg:${pkg[1]}`;
  const app = /services\/app\/src\/(.+)$/.exec(url);
  if (app?.[1] !== undefined) return `app:${app[1]}`;
  return url.replace(/^file:\/\//, '');
}

function functionLabel(frame: ProfileNode['callFrame']): string {
  const file = frame.url.split('/').at(-1) ?? '';
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  return file === '' ? name : `${name} ${file}:${frame.lineNumber + 1}`;
}

function ranked(totals: Map<string, number>, totalUs: number, limit: number): Share[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({
      name,
      ms: Math.round(us) / 1000,
      share: totalUs > 0 ? us / totalUs : 0,
    }));
}

const add = (map: Map<string, number>, key: string, us: number) =>
  map.set(key, (map.get(key) ?? 0) + us);

/**
 * Sums a profile's samples into self time (by place and function) and inclusive time by place.
 * Samples with a frame from a URL matching `ignore` on their stack are dropped (e.g. the code that
 * stops the profiler, whose serialization would otherwise show up as load).
 */
export function summarizeProfile(
  profile: CpuProfile,
  options: { limit?: number; ignore?: RegExp } = {},
): ProfileSummary {
  const limit = options.limit ?? 15;
  const tree = profileTree(profile);
  const sums: Sums = {
    busyUs: 0,
    idleUs: 0,
    place: new Map(),
    fn: new Map(),
    inclusive: new Map(),
  };
  for (const [index, id] of (profile.samples ?? []).entries()) {
    const us = profile.timeDeltas?.[index] ?? 0;
    if (us > 0) addSample(sums, tree, id, us, options.ignore);
  }
  return {
    busyMs: Math.round(sums.busyUs) / 1000,
    idleMs: Math.round(sums.idleUs) / 1000,
    selfByPlace: ranked(sums.place, sums.busyUs, limit),
    selfByFunction: ranked(sums.fn, sums.busyUs, limit),
    inclusiveByPlace: ranked(sums.inclusive, sums.busyUs, limit),
  };
}

interface Sums {
  busyUs: number;
  idleUs: number;
  place: Map<string, number>;
  fn: Map<string, number>;
  inclusive: Map<string, number>;
}

/** Adds one sample of `us` µs taken in node `id` (idle apart; ignored stacks dropped). */
function addSample(sums: Sums, tree: ProfileTree, id: number, us: number, ignore?: RegExp): void {
  const frame = tree.byId.get(id)?.callFrame;
  if (frame === undefined) return;
  if (frame.functionName === '(idle)' && frame.url === '') {
    sums.idleUs += us;
    return;
  }
  const stack = stackPlaces(id, tree, ignore);
  if (stack === undefined) return;
  sums.busyUs += us;
  add(sums.place, placeOf(frame.url, frame.functionName), us);
  add(sums.fn, functionLabel(frame), us);
  for (const place of stack) add(sums.inclusive, place, us);
}

type ProfileNode = CpuProfile['nodes'][number];

interface ProfileTree {
  byId: Map<number, ProfileNode>;
  parent: Map<number, number>;
}

/** Nodes by id, and each node's parent. */
function profileTree(profile: CpuProfile): ProfileTree {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  return { byId, parent };
}

/**
 * The distinct places on the stack of one sample (a place counts once however deep it recurs);
 * undefined when a frame's URL matches `ignore`.
 */
function stackPlaces(
  id: number,
  tree: ProfileTree,
  ignore: RegExp | undefined,
): Set<string> | undefined {
  const places = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = tree.parent.get(at)) {
    const frame = tree.byId.get(at)?.callFrame;
    if (frame === undefined || frame.url === '') continue;
    if (ignore?.test(frame.url) === true) return undefined;
    places.add(placeOf(frame.url, frame.functionName));
  }
  return places;
}
