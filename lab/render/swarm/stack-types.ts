import type { Healthcheck } from '../compose/compose-types.ts';

/** A port published on the node running the task (`mode: host`: the ingress mesh needs IPVS). */
export interface StackPort {
  target: number;
  published: number;
  protocol: 'tcp';
  mode: 'host';
}

/** A config or secret mounted into a service. */
export interface StackMount {
  source: string;
  target: string;
  mode?: number;
}

/** `deploy:` of a stack service (what swarm applies; compose-only keys are left out). */
export interface StackDeploy {
  mode?: 'replicated';
  replicas: number;
  /** dnsrr everywhere: VIP mode needs IPVS, which this kernel lacks; nginx balances itself. */
  endpoint_mode: 'dnsrr';
  resources: {
    limits: { cpus: string; memory: string };
    reservations?: { cpus?: string; memory?: string };
  };
  restart_policy: {
    condition: 'any' | 'on-failure' | 'none';
    delay?: string;
    max_attempts?: number;
  };
  update_config?: { parallelism: number; order: 'start-first' | 'stop-first'; delay?: string };
  placement?: {
    constraints?: string[];
    max_replicas_per_node?: number;
    preferences?: { spread: string }[];
  };
  labels?: Record<string, string>;
}

/** One service of a stack file (compose file format 3.8, as `docker stack deploy` reads it). */
export interface StackService {
  image: string;
  hostname?: string;
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  configs?: StackMount[];
  secrets?: StackMount[];
  volumes?: string[];
  ports?: StackPort[];
  networks: string[];
  healthcheck?: Healthcheck;
  stop_signal?: string;
  stop_grace_period?: string;
  deploy: StackDeploy;
}

/** A stack file: services, the overlay network, configs, secrets and volumes. */
export interface StackFile {
  version: '3.8';
  services: Record<string, StackService>;
  networks: Record<string, { driver: 'overlay'; attachable: boolean }>;
  configs: Record<string, { file: string }>;
  secrets: Record<string, { file: string }>;
  volumes: Record<string, Record<string, never>>;
}
