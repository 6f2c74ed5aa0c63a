import { LabError } from '../../lab-errors.ts';

/** One line of CLUSTER NODES. */
export interface ClusterNodeLine {
  id: string;
  /** ip:port as announced (without the bus port). */
  address: string;
  /** The announced hostname, when the node has one (compose announces `redis-N`). */
  hostname: string | undefined;
  master: boolean;
  /** Id of its master (replicas only). */
  masterId: string | undefined;
  failed: boolean;
  /** Slot ranges it serves, e.g. [[0, 5460]]. */
  slots: [number, number][];
}

function slotRanges(fields: readonly string[]): [number, number][] {
  return fields
    .filter((f) => /^\d+(-\d+)?$/.test(f))
    .map((f) => {
      const [from, to] = f.split('-').map(Number);
      return [from ?? 0, to ?? from ?? 0];
    });
}

/** Parses CLUSTER NODES output (one node per line). */
export function parseClusterNodes(text: string): ClusterNodeLine[] {
  return text
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((fields) => fields.length >= 8)
    .map((fields) => {
      const [id = '', endpoint = '', flags = '', master = '-'] = fields;
      const [address = '', hostname] = endpoint.split(',');
      return {
        id,
        address: address.split('@')[0] ?? address,
        hostname: hostname || undefined,
        master: flags.split(',').includes('master'),
        masterId: master === '-' ? undefined : master,
        failed: /fail/.test(flags),
        slots: slotRanges(fields.slice(8)),
      };
    });
}

/** The master serving slot 0 and a replica of it: the pair a failover scenario acts on. */
export function failoverPair(nodes: readonly ClusterNodeLine[]): {
  master: ClusterNodeLine;
  replica: ClusterNodeLine;
} {
  const master = nodes.find((n) => n.master && !n.failed && n.slots.some(([from]) => from === 0));
  const replica = master && nodes.find((n) => n.masterId === master.id && !n.failed);
  if (!master || !replica) {
    throw new LabError('ACTION_FAILED', 'no healthy master of slot 0 with a healthy replica');
  }
  return { master, replica };
}
