/**
 * Lab helper, run inside a namespace: a TCP echo service on 127.0.0.1:PORT
 * (half-close aware: ends its side when the client does).
 * Usage: node echo-server.js PORT
 */
import { createServer } from 'node:net';

const port = Number(process.argv[2] ?? 7000);
const server = createServer({ allowHalfOpen: true }, (s) => {
  s.pipe(s);
  s.on('error', () => s.destroy());
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`echo listening on 127.0.0.1:${port}\n`));
server.on('error', (err) => {
  process.stderr.write(`echo server: ${err.message}\n`);
  process.exit(1);
});
process.on('SIGTERM', () => process.exit(0));
