import type { DriverName } from '../../config.ts';
import { LabError } from '../../errors.ts';
import { composeDriver } from './compose/driver.ts';
import { nativeDriver } from './native/driver.ts';
import { swarmDriver } from './swarm/driver.ts';
import type { Driver } from './types.ts';

const drivers = new Map<DriverName, Driver>([
  ['native', nativeDriver],
  ['compose', composeDriver],
  ['swarm', swarmDriver],
]);

/** Makes a driver available (the compose driver registers itself here). */
export function registerDriver(driver: Driver): void {
  drivers.set(driver.name, driver);
}

/** True when a driver of that name is registered. */
export function hasDriver(name: DriverName): boolean {
  return drivers.has(name);
}

/** The registered driver `name`; DRIVER_UNAVAILABLE listing the available ones otherwise. */
export function getDriver(name: DriverName): Driver {
  const driver = drivers.get(name);
  if (!driver) {
    const available = [...drivers.keys()].join(', ');
    throw new LabError(
      'DRIVER_UNAVAILABLE',
      `the ${name} driver is not available in this version; available: ${available}`,
    );
  }
  return driver;
}
