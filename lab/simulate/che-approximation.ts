/** Inputs of Che's approximation for one LRU under independent (IRM) Zipf requests. */
export interface CheInputs {
  /** Keys 1..keyCount; key i is requested with probability ∝ 1 / i^theta. */
  keyCount: number;
  theta: number;
  /** Share of requests that are reads; the rest are writes, each deleting the key. */
  readRatio: number;
  /** LRU capacity in entries. */
  entries: number;
}

/** Zipf probabilities p_i ∝ 1 / i^theta for i = 1..n, normalised. */
function zipfProbabilities(n: number, theta: number): Float64Array {
  const p = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    p[i] = 1 / (i + 1) ** theta;
    sum += p[i] ?? 0;
  }
  for (let i = 0; i < n; i++) p[i] = (p[i] ?? 0) / sum;
  return p;
}

// An entry is cached when the key's last event was a read within the characteristic time T
// (a later write would have deleted it): P_i(T) = r · (1 − e^(−p_i·T)).
function occupancy(p: Float64Array, readRatio: number, t: number): number {
  let sum = 0;
  for (const pi of p) sum += readRatio * -Math.expm1(-pi * t);
  return sum;
}

/**
 * Che, Tung and Wang's approximation (IEEE JSAC 2002) of an LRU's read hit ratio, with writes
 * counted as deletions: find T with Σ P_i(T) = C by bisection, then h = Σ p_i · P_i(T)
 * (a read of key i arrives with probability p_i and hits when the key is cached).
 */
export function cheHitRatio({ keyCount, theta, readRatio, entries }: CheInputs): number {
  if (!(readRatio > 0 && readRatio <= 1)) throw new RangeError(`readRatio must be in (0, 1]`);
  if (!(entries > 0 && entries < keyCount * readRatio)) {
    throw new RangeError(`entries must be in (0, keyCount · readRatio), got ${entries}`);
  }
  const p = zipfProbabilities(keyCount, theta);
  let low = 0;
  let high = 1;
  while (occupancy(p, readRatio, high) < entries) high *= 2;
  for (let step = 0; step < 100; step++) {
    const mid = (low + high) / 2;
    if (occupancy(p, readRatio, mid) < entries) low = mid;
    else high = mid;
  }
  const t = (low + high) / 2;
  let hits = 0;
  for (const pi of p) hits += pi * readRatio * -Math.expm1(-pi * t);
  return hits;
}
