/**
 * Lab helper, run inside a host namespace: a tiny HTTP server on 127.0.0.1:PORT
 * answering every GET with `hello from TAG behind NAT: <path>` (the reverse-proxy
 * suite fetches it with curl through a proxy's public port).
 * Usage: node web-server.js PORT TAG
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 8080);
const tag = process.argv[3] ?? 'web';
const server = createServer((req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end(`hello from ${tag} behind NAT: ${req.url}`);
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`web listening on 127.0.0.1:${port}\n`));
server.on('error', (err) => {
  process.stderr.write(`web server: ${err.message}\n`);
  process.exit(1);
});
process.on('SIGTERM', () => process.exit(0));
