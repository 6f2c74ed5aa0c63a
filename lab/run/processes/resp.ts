import { connect } from 'node:net';

function encode(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/** Parses one simple/bulk/integer/error reply; undefined while incomplete. Arrays are not needed here. */
function parseReply(buf: Buffer): { value: string } | { error: string } | undefined {
  const eol = buf.indexOf('\r\n');
  if (eol < 0) return undefined;
  const head = buf.subarray(1, eol).toString('utf8');
  switch (String.fromCharCode(buf[0] ?? 0)) {
    case '+':
    case ':':
      return { value: head };
    case '-':
      return { error: head };
    case '$': {
      const len = Number(head);
      if (len < 0) return { value: '' };
      if (buf.length < eol + 2 + len + 2) return undefined;
      return { value: buf.subarray(eol + 2, eol + 2 + len).toString('utf8') };
    }
    default:
      return { error: `unsupported reply type: ${head.slice(0, 40)}` };
  }
}

/**
 * Sends one command over a fresh connection and returns its reply as text (for PING, CLUSTER INFO/NODES,
 * INFO …). Used for readiness checks: no client library state, reconnect logic or offline queue in the way.
 */
export function redisCommand(
  port: number,
  args: readonly string[],
  { host = '127.0.0.1', timeoutMs = 1_000 } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host });
    let buf = Buffer.alloc(0);
    const fail = (error: Error): void => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`redis ${host}:${port} timed out`)));
    socket.once('error', fail);
    socket.once('connect', () => socket.write(encode(args)));
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      const reply = parseReply(buf);
      if (!reply) return;
      socket.destroy();
      if ('error' in reply) reject(new Error(`redis ${host}:${port}: ${reply.error}`));
      else resolve(reply.value);
    });
    socket.once('end', () => fail(new Error(`redis ${host}:${port} closed the connection`)));
  });
}
