// Child process of the ceilings bench (not imported): a bare node:http or Express 5 server that
// answers every GET with one fixed, profile-sized body and the headers the app sends on a hit.
// With a socket path it also answers on that Unix socket.
//   node --import tsx lab/bench/ceilings/bare-server.ts <http|express> <body-file> <port> [unix-socket]
import { readFileSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import express from 'express';

const [kind, bodyFile, portText, unixSocket] = process.argv.slice(2);
if ((kind !== 'http' && kind !== 'express') || !bodyFile || !portText) {
  process.stderr.write('usage: bare-server.ts <http|express> <body-file> <port> [unix-socket]\n');
  process.exit(2);
}
const body = readFileSync(bodyFile);
const headers = {
  'content-type': 'application/json; charset=utf-8',
  'x-cache': 'HIT-L1',
  'x-served-by': `bare-${kind}`,
};

function bareHttp(): RequestListener {
  return (_req, res) => {
    res.writeHead(200, { ...headers, 'content-length': String(body.length) });
    res.end(body);
  };
}

/** Express with the app's own settings (no ETag hashing, no x-powered-by, no query parser). */
function bareExpress(): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', false);
  app.get('/profiles/:id', (_req, res) => {
    res.set(headers);
    res.send(body);
  });
  return app;
}

const listener = kind === 'http' ? bareHttp() : bareExpress();
const servers = [createServer(listener), ...(unixSocket ? [createServer(listener)] : [])];
for (const server of servers) server.keepAliveTimeout = 65_000;
const [tcp, unix] = servers;
// nginx's workers run as another user: they need to write to the socket to connect.
unix?.listen({ path: unixSocket, readableAll: true, writableAll: true });
tcp?.listen(Number(portText), '127.0.0.1', () => {
  process.stdout.write(`listening port=${portText}\n`);
});
process.on('SIGTERM', () => {
  let open = servers.length;
  for (const server of servers) {
    server.closeAllConnections();
    server.close(() => {
      open -= 1;
      if (open === 0) process.exit(0);
    });
  }
});
