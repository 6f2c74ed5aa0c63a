import { InvalidArgumentError } from '@commander-js/extra-typings';
import { isWorkloadName, WORKLOAD_NAMES, type WorkloadName } from '../../loadtests/workload.ts';
import type { ConsistencyName } from '../../services/app/src/config.ts';
import { DRIVER_NAMES, type DriverName } from '../lab-config.ts';
import { isLabError } from '../lab-errors.ts';
import { parseDurationSeconds, parseShare } from '../text/units.ts';
import { getTopology } from '../topology/catalog.ts';
import { parseConsistencyList } from '../topology/consistency.ts';
import {
  NETWORK_PROFILE_NAMES,
  type NetworkProfile,
  type NetworkSettings,
  parseHopOverride,
} from '../topology/network.ts';

// Every option value of the CLI is checked here, as a commander argument parser: a bad value is a
// usage error (exit 2) that names the option, before any command runs.

/** A parser of one option value. */
export type OptionParser<T> = (value: string) => T;

const DECIMAL = /^\d+(\.\d+)?$/;
const WHOLE = /^\d+$/;

function finite(value: string, what: string, ok: (n: number) => boolean): number {
  const n = Number(value);
  if (!DECIMAL.test(value.trim()) || !Number.isFinite(n) || !ok(n)) {
    throw new InvalidArgumentError(`expected ${what}, got '${value}'`);
  }
  return n;
}

/** A number above zero: "2.5" → 2.5. */
export function positiveNumber(value: string): number {
  return finite(value, 'a positive number', (n) => n > 0);
}

/** A number of zero or more: "0" → 0. */
export function nonNegativeNumber(value: string): number {
  return finite(value, 'a number of zero or more', (n) => n >= 0);
}

function integerRange(min: number, max: number): string {
  if (max < Number.MAX_SAFE_INTEGER) return `an integer from ${min} to ${max}`;
  return min === 1 ? 'a positive integer' : `an integer of at least ${min}`;
}

/** An integer in [min, max]; the default range is every positive safe integer. */
export function integerInRange(min = 1, max = Number.MAX_SAFE_INTEGER): OptionParser<number> {
  return (value) => {
    const n = Number(value);
    if (!WHOLE.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected ${integerRange(min, max)}, got '${value}'`);
    }
    return n;
  };
}

/** A positive integer: "500" → 500. */
export const positiveInteger: OptionParser<number> = integerInRange(1);

/** Comma-separated items, blanks dropped: "a, b," → ["a", "b"]. */
function items(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A comma-separated list of integers in [min, max]: "1,2,8" → [1, 2, 8]. */
export function integerList(min = 1, max = Number.MAX_SAFE_INTEGER): OptionParser<number[]> {
  const one = integerInRange(min, max);
  return (value) => {
    const list = items(value);
    if (list.length === 0)
      throw new InvalidArgumentError(`expected a list of integers, got '${value}'`);
    return list.map(one);
  };
}

/** One of `names`. */
export function oneOf<T extends string>(names: readonly T[]): OptionParser<T> {
  return (value) => {
    if (!(names as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of ${names.join(', ')}, got '${value}'`);
    }
    return value as T;
  };
}

/**
 * Several of `names`, comma-separated or repeated (`--only a,b --only c`), without repeats, in the
 * order of `names`; for options declared with a repeatable parser (previous values are passed back).
 */
export function someOf<T extends string>(
  names: readonly T[],
): (value: string, previous?: T[]) => T[] {
  const one = oneOf(names);
  return (value, previous = []) => {
    const asked = new Set([...previous, ...items(value).map(one)]);
    return names.filter((name) => asked.has(name));
  };
}

/** --network: loopback, lan, same-az or cross-az (lab/topology/network.ts). */
export const networkProfile: OptionParser<NetworkProfile> = oneOf(NETWORK_PROFILE_NAMES);

/** --hop (repeatable): accumulates per-hop overrides of the network profile. */
export function hopOverride(
  value: string,
  previous: NetworkSettings['hops'] = {},
): NonNullable<NetworkSettings['hops']> {
  try {
    const [hop, delay] = parseHopOverride(value);
    return { ...previous, [hop]: delay };
  } catch (error) {
    if (isLabError(error)) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

/** --driver: native or compose. */
export const driverName: OptionParser<DriverName> = oneOf(DRIVER_NAMES);

/** --workload: one of the workloads of loadtests/workload.ts. */
export const workloadName: OptionParser<WorkloadName> = (value) => {
  if (!isWorkloadName(value)) {
    throw new InvalidArgumentError(
      `unknown workload '${value}'; valid: ${WORKLOAD_NAMES.join(', ')}`,
    );
  }
  return value;
};

/** Catalog topology names, comma-separated, each once: "local, global" → ["local", "global"]. */
export function topologyList(value: string): string[] {
  const names = items(value);
  if (names.length === 0) throw new InvalidArgumentError('expected at least one topology name');
  for (const name of names) {
    try {
      getTopology(name);
    } catch (error) {
      if (isLabError(error)) throw new InvalidArgumentError(error.message);
      throw error;
    }
  }
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) throw new InvalidArgumentError(`topology '${repeated}' is listed twice`);
  return names;
}

function durationIn(min: 'positive' | 'zero'): OptionParser<number> {
  return (value) => {
    const seconds = parseDurationSeconds(value);
    if (seconds === undefined || (min === 'positive' && seconds === 0)) {
      const zero = min === 'zero' ? ' (0 for none)' : '';
      throw new InvalidArgumentError(
        `expected a duration such as 30, 30s, 500ms or 2m${zero}, got '${value}'`,
      );
    }
    return seconds;
  };
}

/** A duration above zero in seconds, bare or with a unit: "90" → 90, "500ms" → 0.5, "2m" → 120. */
export const durationSeconds: OptionParser<number> = durationIn('positive');

/** A duration in seconds that may be zero (a warm-up): "0" → 0, "5s" → 5. */
export const durationOrZeroSeconds: OptionParser<number> = durationIn('zero');

/** A share in [0, 1], as a percentage or a fraction (as --slo reads errors=): "5%" → 0.05, "0.05" → 0.05. */
export function share(value: string): number {
  const fraction = parseShare(value);
  if (fraction === undefined) {
    throw new InvalidArgumentError(`expected a share such as 5% or 0.05, got '${value}'`);
  }
  return fraction;
}

/** Consistency modes: "ttl,delete,outbox+lease" → the list; an unknown mode names the valid ones. */
export function consistencyList(value: string): ConsistencyName[] {
  try {
    return parseConsistencyList(value);
  } catch (error) {
    if (isLabError(error)) throw new InvalidArgumentError(error.message);
    throw error;
  }
}
