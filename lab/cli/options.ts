import { InvalidArgumentError } from 'commander';
import { DRIVER_NAMES, type DriverName } from '../config.ts';

/** A commander parser for an integer in [min, max]; a bad value is a usage error (exit 2). */
export function intOption(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got '${value}'`);
    }
    return n;
  };
}

/** A commander parser for --driver. */
export function driverOption(value: string): DriverName {
  if (!(DRIVER_NAMES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${DRIVER_NAMES.join(', ')}, got '${value}'`);
  }
  return value as DriverName;
}
