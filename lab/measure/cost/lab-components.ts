import { readRunRecord } from '../../run/driver/compose/record.ts';
import type { Driver, RunningLab, ServiceRecord } from '../../run/driver/driver-types.ts';
import { cgroupCostProbe, composeCostComponents } from './cgroup-cost.ts';
import {
  type CostComponent,
  type CostProbe,
  type CostTier,
  procCostProbe,
} from './component-cost.ts';

const TIER_OF_ROLE: Partial<Record<ServiceRecord['role'], CostTier>> = {
  nginx: 'nginx',
  app: 'app',
  invalidator: 'invalidator',
  network: 'fault-proxy',
  redis: 'redis',
  postgres: 'postgres',
};

/** The tier of a recorded service; undefined for observers (Prometheus, exporters). */
export function costTierOf(record: Pick<ServiceRecord, 'name' | 'role'>): CostTier | undefined {
  if (/fault-proxy|toxi/.test(record.name)) return 'fault-proxy';
  return TIER_OF_ROLE[record.role];
}

/** The components of a running lab whose CPU and memory are accounted, from its service records. */
export function costComponentsOf(records: readonly ServiceRecord[]): CostComponent[] {
  return records.flatMap((r) => {
    const tier = costTierOf(r);
    return tier && r.pid > 0 ? [{ component: r.name, tier, pid: r.pid }] : [];
  });
}

/**
 * How a running lab's components are accounted: /proc process trees natively, cgroup statistics per
 * container on compose; none for a driver that gives neither.
 */
export async function costProbeOf(
  driver: Pick<Driver, 'name'>,
  lab: Pick<RunningLab, 'state'>,
): Promise<CostProbe | undefined> {
  if (driver.name === 'native') return procCostProbe(costComponentsOf(lab.state.services));
  if (driver.name !== 'compose') return undefined;
  const record = await readRunRecord(lab.state.runDir);
  return cgroupCostProbe(await composeCostComponents(record.project.name));
}
