import { levenbergMarquardt } from 'ml-levenberg-marquardt';

/** One point of a load curve: concurrency N (Little's law: throughput × mean latency) and throughput X. */
export interface UslPoint {
  concurrency: number;
  throughput: number;
}

/** The Universal Scalability Law fitted to a curve: X(N) = λN / (1 + σ(N−1) + κN(N−1)). */
export interface UslFit {
  /** Throughput of one unit of concurrency (requests/s). */
  lambda: number;
  /** Contention: the serial share. */
  sigma: number;
  /** Coherency: the crosstalk cost. */
  kappa: number;
  /** Concurrency where throughput peaks, √((1−σ)/κ) (null when κ = 0: no peak). */
  peakConcurrency: number | null;
  /** The predicted peak throughput, X(N*) (null without a peak). */
  peakThroughput: number | null;
  /** Coefficient of determination of the fit on the points. */
  r2: number;
  points: number;
}

/** X(N) under the USL. */
export function uslThroughput(
  n: number,
  p: { lambda: number; sigma: number; kappa: number },
): number {
  return (p.lambda * n) / (1 + p.sigma * (n - 1) + p.kappa * n * (n - 1));
}

function rSquared(points: readonly UslPoint[], model: (n: number) => number): number {
  const mean = points.reduce((s, p) => s + p.throughput, 0) / points.length;
  const total = points.reduce((s, p) => s + (p.throughput - mean) ** 2, 0);
  const residual = points.reduce((s, p) => s + (p.throughput - model(p.concurrency)) ** 2, 0);
  return total > 0 ? 1 - residual / total : 0;
}

/**
 * Fits the USL to a load curve with Levenberg–Marquardt (σ, κ ≥ 0). Needs at least 3 points with
 * positive concurrency; returns undefined otherwise.
 */
export function fitUsl(all: readonly UslPoint[]): UslFit | undefined {
  const points = all.filter((p) => p.concurrency > 0 && p.throughput > 0);
  if (points.length < 3) return undefined;
  const first = [...points].sort((a, b) => a.concurrency - b.concurrency)[0] as UslPoint;
  const lambda0 = first.throughput / first.concurrency;
  const maxX = Math.max(...points.map((p) => p.throughput));
  const result = levenbergMarquardt(
    { x: points.map((p) => p.concurrency), y: points.map((p) => p.throughput) },
    ([lambda = 0, sigma = 0, kappa = 0]) =>
      (n) =>
        uslThroughput(n, { lambda, sigma, kappa }),
    {
      initialValues: [lambda0, 0.05, 0.001],
      minValues: [0, 0, 0],
      maxValues: [lambda0 * 10 + maxX, 1, 1],
      maxIterations: 500,
      gradientDifference: [lambda0 * 1e-4, 1e-5, 1e-7],
      errorTolerance: 1e-10,
    },
  );
  const [lambda = 0, sigma = 0, kappa = 0] = result.parameterValues;
  const p = { lambda, sigma, kappa };
  const peakConcurrency = kappa > 0 ? Math.sqrt(Math.max(0, 1 - sigma) / kappa) : null;
  return {
    ...p,
    peakConcurrency,
    peakThroughput: peakConcurrency === null ? null : uslThroughput(peakConcurrency, p),
    r2: rSquared(points, (n) => uslThroughput(n, p)),
    points: points.length,
  };
}
