import { readdir, readFile, readlink } from 'node:fs/promises';

/** One established TCP connection of a process: its local and remote port. */
export interface SocketPeer {
  localPort: number;
  remotePort: number;
}

async function socketInodes(pid: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match?.[1]) inodes.add(match[1]);
  }
  return inodes;
}

/** Parses /proc/net/tcp{,6}: established sockets (state 01) by inode. */
function parseTcpTable(text: string): Map<string, SocketPeer> {
  const byInode = new Map<string, SocketPeer>();
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== '01') continue;
    const port = (address: string | undefined) => Number.parseInt(address?.split(':')[1] ?? '', 16);
    byInode.set(fields[9] as string, { localPort: port(fields[1]), remotePort: port(fields[2]) });
  }
  return byInode;
}

/** Every established TCP connection owned by `pid`, as the kernel lists them (test helper). */
export async function establishedSockets(pid: number): Promise<SocketPeer[]> {
  const inodes = await socketInodes(pid);
  const tables = await Promise.all(
    ['tcp', 'tcp6'].map((name) => readFile(`/proc/${pid}/net/${name}`, 'utf8').catch(() => '')),
  );
  const peers: SocketPeer[] = [];
  for (const table of tables) {
    for (const [inode, peer] of parseTcpTable(table)) if (inodes.has(inode)) peers.push(peer);
  }
  return peers;
}
