import type { DriverName } from '../../lab-config.ts';
import type { RedisEndpoints } from '../../topology/app-env.ts';
import type { Topology } from '../../topology/model.ts';
import type { LifecycleOperations } from './lifecycle-types.ts';

/** What a running service is for; decides the stop order (nginx first, postgres last; `network` is the fault proxy). */
export type ServiceRole =
  | 'nginx'
  | 'app'
  | 'invalidator'
  | 'network'
  | 'redis'
  | 'postgres'
  | 'observer';

/** One process of a running topology, as recorded in the state file. */
export interface ServiceRecord {
  /** Stable service name: postgres, redis-1, app-1, nginx… (also the log name). */
  name: string;
  role: ServiceRole;
  pid: number;
  /** Kernel start time of the pid (clock ticks since boot): guards against signalling a reused pid. */
  startTime: number;
  /** Every TCP port it listens on (a cluster node also has its bus port). */
  ports: number[];
  /** Signal that stops it gracefully (Postgres: SIGINT = fast shutdown). */
  stopSignal: 'SIGTERM' | 'SIGINT';
  logPath: string;
}

/** Everything needed to find, probe and stop a running topology from another process. */
export interface LabState {
  version: 1;
  driver: DriverName;
  topology: string;
  startedAt: string;
  runDir: string;
  /** http://127.0.0.1:PORT — nginx, the front door. */
  httpUrl: string;
  httpPort: number;
  databaseUrl: string;
  redis: RedisEndpoints;
  services: ServiceRecord[];
  /** Network profile the topology runs under (absent: loopback, no fault proxy). */
  network?: string;
}

/** One step of a multi-step operation, reported as it starts and as it ends. */
export interface ProgressEvent {
  step: number;
  total: number;
  label: string;
  phase: 'start' | 'done';
  /** Duration of the step, on 'done'. */
  ms?: number;
}

/** Receives progress; must not throw. */
export type ProgressListener = (event: ProgressEvent) => void;

/**
 * Hook for `--observe` (starts Prometheus and the exporters): called once the topology
 * serves; returns the extra services it started so they are recorded and stopped with the rest.
 */
export interface ObserveHook {
  start(lab: { topology: Topology; state: LabState }): Promise<{
    services: ServiceRecord[];
    stop(): Promise<void>;
  }>;
}

/** Options of Driver.up. */
export interface UpOptions {
  /** Run folder; default a new `<labDir>/runs/<topology>-XXXXXX`. */
  runDir?: string;
  /** nginx port on 127.0.0.1; default LAB_HTTP_PORT or 8080. */
  httpPort?: number;
  /** Users to seed; default topology.postgres.seedUsers. */
  seedUsers?: number;
  onProgress?: ProgressListener;
  /** Aborting (e.g. on Ctrl-C) stops what was started and rejects with INTERRUPTED. */
  signal?: AbortSignal;
  observe?: ObserveHook;
  appLogLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

/** A topology running under this process's control; `down()` (or `await using`) stops it. */
export interface RunningLab extends AsyncDisposable {
  readonly topology: Topology;
  readonly state: LabState;
  /** The nginx front door, http://127.0.0.1:PORT. */
  readonly url: string;
  /** Stops every service, in order; safe to call twice. */
  down(): Promise<void>;
  /** Leaves the services running after this process exits (the CLI's `up`); returns the state to record. */
  detach(): LabState;
}

/** Health of one recorded service. */
export interface ServiceStatus {
  name: string;
  role: ServiceRole;
  pid: number;
  alive: boolean;
  /** Ports that accept connections right now. */
  listening: number[];
  ports: number[];
}

/** What `status` reports. */
export interface LabStatus {
  state: LabState;
  services: ServiceStatus[];
  /** GET <httpUrl>/healthz through nginx answered 200. */
  serving: boolean;
}

/** A way of running topologies (native processes, Docker Compose); changes them while they run. */
export interface Driver extends LifecycleOperations {
  readonly name: DriverName;
  /** Brings `topology` up and waits until it serves through nginx. */
  up(topology: Topology, options: UpOptions): Promise<RunningLab>;
  /** Stops a topology recorded in `state` (possibly started by another process). */
  down(state: LabState, onProgress?: ProgressListener): Promise<void>;
  /** Probes the recorded services. */
  status(state: LabState): Promise<LabStatus>;
  /** The last `lines` lines of one service's log, or of every service when `service` is omitted. */
  logs(state: LabState, service?: string, lines?: number): Promise<string>;
  /** Changes the replicas of one service live (drivers that can, e.g. swarm); returns the new state. */
  scale?(state: LabState, service: string, replicas: number): Promise<LabState>;
  /** Where the harness reads the servers' own figures (drivers whose runs `cachelab compare` measures). */
  endpoints?(state: LabState): Promise<LabEndpoints>;
}

/** Addresses (127.0.0.1) and credentials of a running topology's servers, for the harness's scrapes. */
export interface LabEndpoints {
  /** Every app server: its id (app-1…) and http://127.0.0.1:PORT. */
  apps: { server: string; url: string }[];
  /** The outbox invalidator's /metrics (http://127.0.0.1:PORT), when the topology runs one and publishes it. */
  invalidators?: { server: string; url: string }[];
  /** Every Redis node, named redis-1… in start order (never by address). */
  redis: { node: string; host: string; port: number; password?: string }[];
  /** A superuser URL of the lab database (pg_stat_statements shows every user's statements). */
  postgresUrl: string;
}
