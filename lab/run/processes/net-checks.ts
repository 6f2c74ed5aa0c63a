import { request } from 'node:http';
import { connect } from 'node:net';

/** True when a TCP connection to host:port succeeds within `timeoutMs`. */
export function canConnect(port: number, host = '127.0.0.1', timeoutMs = 1_000): Promise<boolean> {
  return canReach({ port, host }, timeoutMs);
}

/** True when a connection to the Unix socket at `path` succeeds within `timeoutMs`. */
export function canConnectPath(path: string, timeoutMs = 1_000): Promise<boolean> {
  return canReach({ path }, timeoutMs);
}

function canReach(
  target: { port: number; host: string } | { path: string },
  timeoutMs: number,
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(target);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Status and body of GET `url` (no keep-alive); rejects on connection errors or after `timeoutMs`. */
export function httpGet(url: string, timeoutMs = 2_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.once('error', reject);
    });
    req.once('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.once('error', reject);
    req.end();
  });
}

/** Status code of GET `url` (no keep-alive, body discarded). */
export async function httpStatus(url: string, timeoutMs = 2_000): Promise<number> {
  return (await httpGet(url, timeoutMs)).status;
}
