/**
 * Relay only: two peers with `forceRelay` use nothing but relayed ICE paths
 * through the embedded server's TURN relay (what two symmetric NATs end up
 * with, or a peer that will not reveal its address). One line goes through the
 * tunnel and back, and the relay route is printed. Loopback only; exits 0 when
 * the route is a relay route and the line came back intact, 1 otherwise or after DEADLINE_MS.
 *
 *   npx tsc -p . && node dist/examples/relay-only.js
 */
import { createServer, connect, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ndc from 'node-datachannel';
import { Connector, Exposer, PeerNode, describeRoute, setLogLevel } from 'p2prc-nat';
import { SignalServer } from 'p2prc-nat/signal-server';

/** Setting up a relayed pair takes a second or two; a hang is a failure, not a wait. */
const DEADLINE_MS = 30_000;
const LINE = 'hello through the relay';

async function main(): Promise<boolean> {
  setLogLevel('warn');
  const root = mkdtempSync(join(tmpdir(), 'p2prc-example-relay-'));

  const signal = new SignalServer({
    host: '127.0.0.1',
    port: 0,
    dataDir: join(root, 'server'),
    turn: {
      host: '127.0.0.1',
      port: 0,
      relayPorts: { min: 49152, max: 65535 },
      realm: 'p2prc',
      quotas: { total: 1000, perUser: 10 },
      // The peers below are on loopback, which a public relay refuses to relay to.
      allowPrivatePeers: true,
    },
  });
  const { port } = await signal.listen();
  const url = `ws://127.0.0.1:${port}`;
  console.log(`signal server   ${url}, relay udp 127.0.0.1:${signal.relay!.port}`);

  const echo = createServer({ allowHalfOpen: true }, (s) => s.pipe(s));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  const echoPort = (echo.address() as AddressInfo).port;

  // Each peer on its own loopback address: TURN permissions are per IP, so with every
  // party on 127.0.0.1 a permission for the other's relay would also admit its host socket.
  const alice = new PeerNode({ server: url, name: 'alice', dataDir: join(root, 'alice'), bindAddress: '127.0.0.2', forceRelay: true });
  await alice.start();
  new Exposer(alice, new Map([['echo', { host: '127.0.0.1', port: echoPort }]]));
  const bob = new PeerNode({ server: url, name: 'bob', dataDir: join(root, 'bob'), bindAddress: '127.0.0.3', forceRelay: true });
  await bob.start();
  const connector = new Connector(bob, { peer: 'alice', service: 'echo' }, { host: '127.0.0.1', port: 0 });
  const listen = await connector.start();
  const route = await connector.warmUp();
  console.log(`route           alice/echo: ${describeRoute(route)} (setup ${route.setupMs} ms)`);

  const sock = connect({ host: '127.0.0.1', port: listen.port, allowHalfOpen: true });
  let reply = '';
  sock.on('data', (d: Buffer) => (reply += d.toString()));
  sock.end(LINE);
  await once(sock, 'end');
  sock.destroy();
  const ok = route.kind === 'relay' && reply === LINE;
  console.log(reply === LINE ? `echo            "${reply}" came back intact` : `echo            MISMATCH: got "${reply}"`);
  if (route.kind !== 'relay') console.log(`not relayed: route kind ${route.kind}`);

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
  console.error(`relay-only: not done after ${DEADLINE_MS / 1000} s`);
  process.exit(1);
}, DEADLINE_MS).unref();
main().then(
  (ok) => {
    ndc.cleanup();
    process.exit(ok ? 0 : 1);
  },
  (err: Error) => {
    console.error(`relay-only failed: ${err.message}`);
    process.exit(1);
  },
);
