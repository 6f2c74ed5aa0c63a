// Shared by the Node runner, the simulator and k6 (goja): no imports, no Node globals, no BigInt.

/** A seeded generator of uniform floats in [0, 1). */
export type Rng = () => number;

/** sfc32 seeded through splitmix32: fast, 128-bit state, identical sequences in Node and k6. */
export function createRng(seed: number): Rng {
  let s = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) >>> 0, 0x85ebca6b);
  const next = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
  };
  let a = next();
  let b = next();
  let c = next();
  let d = next();
  const rng = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) rng();
  return rng;
}

/** How operations spread over the ids 1..keyCount. */
export type KeyDistribution =
  | { kind: 'zipf'; theta: number }
  | { kind: 'uniform' }
  | { kind: 'hotspot'; hotDataFraction: number; hotOpFraction: number }
  | { kind: 'hot-key'; share: number; rest: KeyDistribution };

/** The id that a 'hot-key' distribution sends its share of operations to. */
export const HOT_KEY_ID = 1;

/** YCSB's default Zipfian constant. */
export const DEFAULT_ZIPF_THETA = 0.99;

let zetaMemo = { n: 0, theta: Number.NaN, value: 0 };

/** The generalized harmonic number Σ_{i=1..n} 1/i^θ (Gray et al.'s zeta), memoized for the last call. */
export function zeta(n: number, theta: number): number {
  if (zetaMemo.n === n && zetaMemo.theta === theta) return zetaMemo.value;
  let sum = 0;
  for (let i = 1; i <= n; i++) sum += 1 / i ** theta;
  zetaMemo = { n, theta, value: sum };
  return sum;
}

/** FNV-1a (32-bit) over the four bytes of x, then over the round number: the Feistel round function. */
function fnv1a32(x: number, round: number): number {
  let h = 0x811c9dc5;
  for (let shift = 0; shift < 32; shift += 8) {
    h = Math.imul(h ^ ((x >>> shift) & 0xff), 0x01000193);
  }
  return Math.imul(h ^ round, 0x01000193) >>> 0;
}

/**
 * A bijection of 0..n-1 scrambled by FNV-1a: a 4-round Feistel network with cycle walking.
 * YCSB hashes then takes a modulo, which lets ranks collide; a bijection keeps every rank's share exact.
 */
export function createScrambler(n: number): (rank: number) => number {
  let halfBits = 1;
  while (2 ** (2 * halfBits) < n) halfBits++;
  const mask = 2 ** halfBits - 1;
  const permute = (x: number): number => {
    let left = Math.floor(x / 2 ** halfBits);
    let right = x & mask;
    for (let round = 0; round < 4; round++) {
      const next = (left ^ fnv1a32(right, round)) & mask;
      left = right;
      right = next;
    }
    return left * 2 ** halfBits + right;
  };
  return (rank) => {
    let x = permute(rank);
    // Cycle walking: the domain is at most 4n, so this ends after a few steps on average.
    while (x >= n) x = permute(x);
    return x;
  };
}

/** Gray et al.'s Zipfian rank generator (YCSB ZipfianGenerator): ranks 0..n-1, rank 0 the hottest. */
export function createZipfRanks(n: number, theta: number, rng: Rng): () => number {
  if (!(theta > 0 && theta < 1)) throw new RangeError(`zipf theta must be in (0, 1), got ${theta}`);
  const zetan = zeta(n, theta);
  const alpha = 1 / (1 - theta);
  const zeta2 = 1 + 0.5 ** theta;
  const eta = (1 - (2 / n) ** (1 - theta)) / (1 - zeta2 / zetan);
  return () => {
    const u = rng();
    const uz = u * zetan;
    if (uz < 1) return 0;
    if (uz < zeta2) return Math.min(1, n - 1);
    return Math.min(n - 1, Math.floor(n * (eta * u - eta + 1) ** alpha));
  };
}

function checkFraction(name: string, value: number): void {
  if (!(value > 0 && value <= 1)) throw new RangeError(`${name} must be in (0, 1], got ${value}`);
}

function hotspotChooser(
  dist: { hotDataFraction: number; hotOpFraction: number },
  keyCount: number,
  rng: Rng,
): () => number {
  checkFraction('hotDataFraction', dist.hotDataFraction);
  checkFraction('hotOpFraction', dist.hotOpFraction);
  // Like YCSB's HotspotIntegerGenerator, the hot set is the first ids of the key space.
  const hotCount = Math.max(1, Math.min(keyCount, Math.round(keyCount * dist.hotDataFraction)));
  const coldCount = keyCount - hotCount;
  return () => {
    if (coldCount === 0 || rng() < dist.hotOpFraction) return 1 + Math.floor(rng() * hotCount);
    return 1 + hotCount + Math.floor(rng() * coldCount);
  };
}

/** A chooser of ids in 1..keyCount following dist, drawing randomness from rng only. */
export function createKeyChooser(dist: KeyDistribution, keyCount: number, rng: Rng): () => number {
  if (!(Number.isInteger(keyCount) && keyCount >= 1)) {
    throw new RangeError(`keyCount must be a positive integer, got ${keyCount}`);
  }
  switch (dist.kind) {
    case 'uniform':
      return () => 1 + Math.floor(rng() * keyCount);
    case 'zipf': {
      const ranks = createZipfRanks(keyCount, dist.theta, rng);
      const scramble = createScrambler(keyCount);
      return () => 1 + scramble(ranks());
    }
    case 'hotspot':
      return hotspotChooser(dist, keyCount, rng);
    case 'hot-key': {
      checkFraction('hot-key share', dist.share);
      const rest = createKeyChooser(dist.rest, keyCount, rng);
      return () => (rng() < dist.share ? HOT_KEY_ID : rest());
    }
  }
}

/** The names of the built-in workloads. */
export type WorkloadName = 'read-heavy' | 'write-heavy' | 'uniform' | 'hot-key';

/** A workload: the share of reads (the rest are PATCH writes) and how keys are chosen. */
export interface WorkloadSpec {
  name: string;
  /** Fraction of operations that are reads, in [0, 1]. */
  readRatio: number;
  distribution: KeyDistribution;
}

const zipf: KeyDistribution = { kind: 'zipf', theta: DEFAULT_ZIPF_THETA };

/** The built-in workloads (YCSB B-like read-heavy, a write-heavy mix, uniform, and one celebrity key). */
export const WORKLOADS: Record<WorkloadName, WorkloadSpec> = {
  'read-heavy': { name: 'read-heavy', readRatio: 0.95, distribution: zipf },
  'write-heavy': { name: 'write-heavy', readRatio: 0.7, distribution: zipf },
  uniform: { name: 'uniform', readRatio: 0.95, distribution: { kind: 'uniform' } },
  'hot-key': {
    name: 'hot-key',
    readRatio: 0.95,
    distribution: { kind: 'hot-key', share: 0.3, rest: zipf },
  },
};

/** The built-in workload names, in display order. */
export const WORKLOAD_NAMES = Object.keys(WORKLOADS) as WorkloadName[];

/** True when name is one of the built-in workloads. */
export function isWorkloadName(name: string): name is WorkloadName {
  return (WORKLOAD_NAMES as string[]).includes(name);
}

/** One operation of a stream. */
export interface Operation {
  op: 'read' | 'write';
  id: number;
}

/** Options of createOperationStream. */
export interface OperationStreamOptions {
  workload: WorkloadName | WorkloadSpec;
  keyCount: number;
  seed: number;
}

/** A deterministic stream of operations: the same options always give the same sequence. */
export function createOperationStream(options: OperationStreamOptions): () => Operation {
  const spec =
    typeof options.workload === 'string' ? WORKLOADS[options.workload] : options.workload;
  if (!(spec.readRatio >= 0 && spec.readRatio <= 1)) {
    throw new RangeError(`readRatio must be in [0, 1], got ${spec.readRatio}`);
  }
  // Separate streams for the op and the key, so a workload's key sequence does not depend on its mix.
  const opRng = createRng(options.seed);
  const chooseKey = createKeyChooser(
    spec.distribution,
    options.keyCount,
    createRng(options.seed ^ 0x5bd1e995),
  );
  return () => ({ op: opRng() < spec.readRatio ? 'read' : 'write', id: chooseKey() });
}

/** A small, deterministic PATCH body (JSON text) for write number seq to profile id. */
export function patchBodyFor(id: number, seq: number): string {
  return JSON.stringify({ headline: `Load test headline ${seq} for profile ${id}` });
}
