/**
 * The library end to end on one machine: an embedded signal server, two
 * PeerNodes, alice exposing a TCP echo service (Exposer) and bob reaching it
 * through a local listener (Connector). One line goes through the tunnel and
 * back; the route ICE chose is printed. Loopback only; exits 0 when the line
 * came back intact, 1 otherwise or after DEADLINE_MS.
 *
 *   npx tsc -p . && node dist/examples/library-tunnel.js
 */
import { createServer, connect, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ndc from 'node-datachannel';
import { Connector, Exposer, PeerNode, describeRoute, setLogLevel } from 'p2prc-nat';
import { SignalServer } from 'p2prc-nat/signal-server';

/** Everything here takes about a second; a hang is a failure, not a wait. */
const DEADLINE_MS = 30_000;
const LINE = 'hello through the tunnel';

async function main(): Promise<boolean> {
  setLogLevel('warn');
  const root = mkdtempSync(join(tmpdir(), 'p2prc-example-'));

  const signal = new SignalServer({ host: '127.0.0.1', port: 0, dataDir: join(root, 'server') });
  const { port } = await signal.listen();
  const url = `ws://127.0.0.1:${port}`;
  console.log(`signal server   ${url}`);

  // The service alice exposes: a TCP echo on a free loopback port.
  const echo = createServer({ allowHalfOpen: true }, (s) => s.pipe(s));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  const echoPort = (echo.address() as AddressInfo).port;

  const alice = new PeerNode({ server: url, name: 'alice', dataDir: join(root, 'alice'), bindAddress: '127.0.0.1' });
  await alice.start();
  new Exposer(alice, new Map([['echo', { host: '127.0.0.1', port: echoPort }]]));
  console.log(`alice exposes   alice/echo -> 127.0.0.1:${echoPort}`);

  const bob = new PeerNode({ server: url, name: 'bob', dataDir: join(root, 'bob'), bindAddress: '127.0.0.1' });
  await bob.start();
  const connector = new Connector(bob, { peer: 'alice', service: 'echo' }, { host: '127.0.0.1', port: 0 });
  const listen = await connector.start();
  console.log(`bob listens     127.0.0.1:${listen.port} -> alice/echo`);
  const route = await connector.warmUp();
  console.log(`route           alice/echo: ${describeRoute(route)} (setup ${route.setupMs} ms)`);

  // A plain TCP client of bob's listener: it cannot tell the service is behind a tunnel.
  const sock = connect({ host: '127.0.0.1', port: listen.port, allowHalfOpen: true });
  let reply = '';
  sock.on('data', (d: Buffer) => (reply += d.toString()));
  sock.end(LINE);
  await once(sock, 'end');
  sock.destroy();
  const ok = reply === LINE;
  console.log(ok ? `echo            "${reply}" came back intact` : `echo            MISMATCH: got "${reply}"`);

  if (connector.activeStreams > 0) await once(connector, 'stream-end');
  await connector.stop();
  await bob.stop();
  await alice.stop();
  await signal.close();
  echo.close();
  rmSync(root, { recursive: true, force: true });
  return ok;
}

setTimeout(() => {
  console.error(`library-tunnel: not done after ${DEADLINE_MS / 1000} s`);
  process.exit(1);
}, DEADLINE_MS).unref();
main().then(
  (ok) => {
    ndc.cleanup();
    process.exit(ok ? 0 : 1);
  },
  (err: Error) => {
    console.error(`library-tunnel failed: ${err.message}`);
    process.exit(1);
  },
);
