import { docker, dockerOk } from '../docker/docker-cli.ts';

/** What a suite did to the engine's swarm state, so it undoes exactly that. */
export interface SwarmScope {
  /** This suite ran `docker swarm init`: it leaves the swarm afterwards. */
  created: boolean;
  /** docker_gwbridge existed before (swarm init creates it and `swarm leave` keeps it). */
  hadGatewayBridge: boolean;
}

const gatewayBridgeExists = async (): Promise<boolean> =>
  (await dockerOk(['network', 'ls', '-q', '--filter', 'name=^docker_gwbridge$'])).trim() !== '';

/** Initialises a single-node swarm on 127.0.0.1 unless this engine is in a swarm already. */
export async function ensureSwarm(): Promise<SwarmScope> {
  const state = (await dockerOk(['info', '--format', '{{.Swarm.LocalNodeState}}'])).trim();
  const hadGatewayBridge = await gatewayBridgeExists();
  if (state === 'active') return { created: false, hadGatewayBridge };
  await dockerOk(['swarm', 'init', '--advertise-addr', '127.0.0.1'], 60_000);
  return { created: true, hadGatewayBridge };
}

/** Leaves the swarm (and removes the gateway bridge) only if ensureSwarm created them. */
export async function leaveSwarm(scope: SwarmScope | undefined): Promise<void> {
  if (!scope?.created) return;
  await dockerOk(['swarm', 'leave', '--force'], 60_000);
  if (!scope.hadGatewayBridge && (await gatewayBridgeExists())) {
    await docker(['network', 'rm', 'docker_gwbridge']);
  }
}

/** Containers on this node labelled with `stack`'s namespace (running or not). */
export async function stackContainers(stack: string): Promise<string[]> {
  const out = await dockerOk([
    'ps',
    '-aq',
    '--filter',
    `label=com.docker.stack.namespace=${stack}`,
  ]);
  return out.split('\n').filter((l) => l !== '');
}
