/**
 * A signal server with its STUN/TURN relay, started from code rather than by
 * `p2prc server`: prints the addresses peers use, then runs until SIGINT or
 * SIGTERM. With `--once` it checks its own /healthz and stops at once (what
 * test/examples.test.ts runs). Loopback only.
 *
 *   npx tsc -p . && node dist/examples/embedded-server.js [--once] [--port P]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignalServer } from 'p2prc-nat/signal-server';

/** `--once` must finish within this; a hang is a failure, not a wait. */
const ONCE_DEADLINE_MS = 10_000;
/** The CLI's default relay port range (`--relay-ports`); each port is checked free before use. */
const RELAY_PORTS = { min: 49152, max: 65535 };

async function main(): Promise<void> {
  const once = process.argv.includes('--once');
  const portArg = process.argv.indexOf('--port');
  const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port "${process.argv[portArg + 1]}"`);
  if (once) setTimeout(() => fail(new Error(`not done after ${ONCE_DEADLINE_MS / 1000} s`)), ONCE_DEADLINE_MS).unref();

  const dataDir = mkdtempSync(join(tmpdir(), 'p2prc-example-server-'));
  const server = new SignalServer({
    host: '127.0.0.1',
    port,
    dataDir, // the server's mapping log, reverse_proxy_mapping.json
    name: 'example-signal',
    turn: {
      host: '127.0.0.1',
      port: 0, // any free UDP port; 3478 is the usual one
      relayPorts: RELAY_PORTS,
      realm: 'p2prc',
      quotas: { total: 1000, perUser: 10 },
      allowPrivatePeers: false,
    },
  });
  const addr = await server.listen();
  const relay = server.relay!;
  console.log(`signal server   ws://${addr.address}:${addr.port} (health: http://${addr.address}:${addr.port}/healthz)`);
  console.log(`relay           stun:${relay.advertisedAddress}:${relay.port} turn:${relay.advertisedAddress}:${relay.port}?transport=udp (relay ports ${RELAY_PORTS.min}-${RELAY_PORTS.max})`);

  const stop = async (): Promise<void> => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
    console.log('stopped');
  };
  if (once) {
    const res = await fetch(`http://${addr.address}:${addr.port}/healthz`);
    const health = (await res.json()) as { status: string; name: string; peers: number };
    console.log(`healthz         ${health.status} (${health.name}, ${health.peers} peers)`);
    await stop();
    if (health.status !== 'ok') process.exitCode = 1;
    return;
  }
  // Handlers first, then the line that tells a supervisor (or the example's test) it may signal.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log('running; Ctrl-C stops');
  await stopped;
  await stop();
}

function fail(err: Error): void {
  console.error(`embedded-server failed: ${err.message}`);
  process.exit(1);
}

main().catch(fail);
