import type { RunningLab, ServiceRole } from './driver-types.ts';

/** Which cache tier a flush empties: the in-process L1 of every app server, the shared L2, or both. */
export type CacheTier = 'l1' | 'l2' | 'all';

/** How a Redis Cluster master is failed over: SIGKILL it, or `CLUSTER FAILOVER` on its replica. */
export type FailoverMode = 'kill' | 'cluster-failover';

/** A fault-proxy toxic, in toxiproxy's shape (`latency` with `{ latency, jitter }` ms, `timeout`…). */
export interface ToxicSpec {
  name: string;
  type: string;
  stream?: 'upstream' | 'downstream';
  toxicity?: number;
  attributes: Record<string, number>;
}

/** What one lifecycle operation did, for the scenario timeline. */
export interface LifecycleOutcome {
  /** The service acted on (e.g. `app-4` for an added server, the master for a failover). */
  service: string;
  /** One line saying what happened, e.g. `SIGKILL app-2 (pid 1234)`. */
  detail: string;
  /** Other services the operation involved (a failover's replica). */
  related?: Record<string, string>;
}

/** One service of a running topology as the lifecycle operations name it. */
export interface LifecycleService {
  name: string;
  role: Exclude<ServiceRole, 'observer' | 'network'>;
  /** Running and not paused. */
  up: boolean;
  /** nginx sends it requests (app servers only). */
  inRotation?: boolean;
  /**
   * An app server's `server` name in nginx's upstream (e.g. `127.0.0.1:3001`), which its
   * consistent-hash ring hashes; absent where nginx finds the servers by DNS (swarm).
   */
  upstream?: string;
}

/**
 * Changes a running topology while it serves, for scenarios and chaos tests. Every driver implements
 * them on the labs its own `up` returned; an operation a driver cannot do throws ACTION_UNSUPPORTED.
 */
export interface LifecycleOperations {
  /** The services the operations below can name, with their current state. */
  services(lab: RunningLab): Promise<LifecycleService[]>;
  /** SIGKILL (native) / `docker kill`: a crash. */
  kill(lab: RunningLab, service: string): Promise<LifecycleOutcome>;
  /** Graceful stop (its stop signal, then SIGKILL after the grace period). */
  stop(lab: RunningLab, service: string): Promise<LifecycleOutcome>;
  /** SIGSTOP of its process group / `docker pause`: alive, silent. */
  pause(lab: RunningLab, service: string): Promise<LifecycleOutcome>;
  /** SIGCONT / `docker unpause`. */
  resume(lab: RunningLab, service: string): Promise<LifecycleOutcome>;
  /** Starts it again on the same port and settings (stopping it first if it runs); waits until ready. */
  restart(lab: RunningLab, service: string): Promise<LifecycleOutcome>;
  /** Starts one more app server and reloads nginx to send it requests; no request is dropped. */
  addAppServer(lab: RunningLab): Promise<LifecycleOutcome>;
  /** Takes an app server (default: the last in rotation) out of nginx, then stops it gracefully. */
  removeAppServer(lab: RunningLab, service?: string): Promise<LifecycleOutcome>;
  /** Empties a cache tier under load (L1: rolling restart of the app servers; L2: FLUSHALL). */
  flushCache(lab: RunningLab, tier: CacheTier): Promise<LifecycleOutcome>;
  /** Adds a toxic to the fault proxy in front of `hop` (e.g. `redis-1`). */
  applyToxic(lab: RunningLab, hop: string, toxic: ToxicSpec): Promise<LifecycleOutcome>;
  /** Removes toxic `name` from `hop`'s fault proxy. */
  removeToxic(lab: RunningLab, hop: string, name: string): Promise<LifecycleOutcome>;
  /**
   * Fails over the Redis Cluster master of slot 0; `related.replica` is the one to be promoted. With
   * `nodeTimeoutMs`, every node's cluster-node-timeout is set first (`related.previousNodeTimeoutMs`).
   */
  failoverRedisMaster(
    lab: RunningLab,
    mode: FailoverMode,
    options?: { nodeTimeoutMs?: number },
  ): Promise<LifecycleOutcome>;
}
