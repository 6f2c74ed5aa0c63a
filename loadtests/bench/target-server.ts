// A bare node:http target with a small fixed body, run as a child process by runner-ceiling.ts.
// Prints `port=<n>` once listening on 127.0.0.1; exits on SIGTERM.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = Buffer.from(JSON.stringify({ id: 1, version: 1, headline: 'fixed benchmark body' }));
const headers = {
  'content-type': 'application/json',
  'content-length': String(body.length),
  'x-cache': 'HIT-L1',
  'x-served-by': 'bench-target',
  'x-profile-version': '1',
};

const server = createServer((req, res) => {
  // Drain any request body (PATCH) before answering, so keep-alive sockets stay reusable.
  req.resume();
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`port=${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
