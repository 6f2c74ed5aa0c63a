import type { Driver, RunningLab, ServiceRecord } from '../../run/driver/types.ts';
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

/** How a running lab's components are accounted: /proc trees natively, none the driver cannot give. */
export function costProbeOf(
  driver: Pick<Driver, 'name'>,
  lab: Pick<RunningLab, 'state'>,
): CostProbe | undefined {
  if (driver.name !== 'native') return undefined;
  return procCostProbe(costComponentsOf(lab.state.services));
}
