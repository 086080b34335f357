/**
 * The PeerJS server as a child process of the signal-scale bench:
 * `node dist/bench/peerjs-server.js MAX_CLIENTS` starts `PeerServer` from the
 * `peer` package (its defaults: key `peerjs`, path `/`, expire_timeout 5 s,
 * alive_timeout 90 s) on 127.0.0.1, on a free port, with `concurrent_limit`
 * raised to MAX_CLIENTS (default 5000, below the bench's 10,000), and prints
 * `{"event":"listening","port":P}`. It exits when its stdin closes (the bench
 * went away) or on SIGTERM.
 */
import { PeerServer } from 'peer';
import type { AddressInfo } from 'node:net';

const maxClients = Number(process.argv[2] ?? 5000);
PeerServer({ host: '127.0.0.1', port: 0, concurrent_limit: maxClients }, (server) => {
  const port = (server.address() as AddressInfo).port;
  process.stdout.write(JSON.stringify({ event: 'listening', port }) + '\n');
});
process.stdin.on('end', () => process.exit(0)).resume();
process.on('SIGTERM', () => process.exit(0));
