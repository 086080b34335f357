/**
 * `npm start`: the whole product on one machine, on an embedded default.
 * An in-process signal server, two peers (alice exposes a demo TCP service,
 * bob connects to it), then DEMO_BYTES through the tunnel, checksummed; prints
 * the route and the throughput and exits 0. Everything stays on 127.0.0.1.
 */
import { createServer, connect as tcpConnect, type AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ndc from 'node-datachannel';
import { SignalServer } from '../signal-server/server.js';
import { PeerNode } from './peer/node.js';
import { Exposer } from './tunnel/expose.js';
import { Connector } from './tunnel/connect.js';
import { formatRoute } from './cli/format.js';
import { setLogLevel } from './util/log.js';

const DEMO_BYTES = Number(process.env.P2PRC_DEMO_MIB ?? 64) * 1024 * 1024;

/** Demo service: reads until EOF, answers with the sha256 of what it read. */
function startChecksumService(): Promise<{ port: number; close: () => void }> {
  const server = createServer({ allowHalfOpen: true }, (sock) => {
    const h = createHash('sha256');
    sock.on('data', (d) => h.update(d));
    sock.on('end', () => sock.end(h.digest('hex')));
    sock.on('error', () => sock.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as AddressInfo).port, close: () => server.close() })),
  );
}

async function main(): Promise<void> {
  setLogLevel((process.env.P2PRC_LOG_LEVEL as 'info' | undefined) ?? 'warn');
  const root = mkdtempSync(join(tmpdir(), 'p2prc-demo-'));
  const signal = new SignalServer({ host: '127.0.0.1', port: 0, dataDir: join(root, 'server'), name: 'demo-signal' });
  const { port: signalPort } = await signal.listen();
  const url = `ws://127.0.0.1:${signalPort}`;
  console.log(`signal server   ${url}`);

  const service = await startChecksumService();
  const alice = new PeerNode({ server: url, name: 'alice', dataDir: join(root, 'alice'), bindAddress: '127.0.0.1' });
  await alice.start();
  new Exposer(alice, new Map([['demo', { host: '127.0.0.1', port: service.port }]]));
  console.log(`alice exposes   alice/demo -> 127.0.0.1:${service.port} (peer id ${alice.peerId})`);

  const bob = new PeerNode({ server: url, name: 'bob', dataDir: join(root, 'bob'), bindAddress: '127.0.0.1' });
  await bob.start();
  const connector = new Connector(bob, { peer: 'alice', service: 'demo' }, { host: '127.0.0.1', port: 0 });
  const listen = await connector.start();
  console.log(`bob listens     127.0.0.1:${listen.port} -> alice/demo`);
  const route = await connector.warmUp();
  console.log(`route           ${formatRoute('alice/demo', route)}`);

  const payload = randomBytes(1024 * 1024);
  const expected = createHash('sha256');
  const t0 = performance.now();
  const reply = await new Promise<string>((resolve, reject) => {
    const sock = tcpConnect({ host: '127.0.0.1', port: listen.port, allowHalfOpen: true });
    let answer = '';
    let sent = 0;
    let lastPct = -1;
    const pump = (): void => {
      while (sent < DEMO_BYTES) {
        const chunk = payload.subarray(0, Math.min(payload.length, DEMO_BYTES - sent));
        expected.update(chunk);
        sent += chunk.length;
        const pct = Math.floor((sent / DEMO_BYTES) * 10) * 10;
        if (pct !== lastPct && process.stdout.isTTY) {
          lastPct = pct;
          process.stdout.write(`\rsending         ${pct}%`);
        }
        if (!sock.write(chunk)) return void sock.once('drain', pump);
      }
      sock.end();
    };
    sock.on('connect', pump);
    sock.on('data', (d) => (answer += d.toString()));
    sock.on('end', () => resolve(answer));
    sock.on('error', reject);
  });
  const secs = (performance.now() - t0) / 1000;
  if (process.stdout.isTTY) process.stdout.write('\r');
  const ok = reply === expected.digest('hex');
  const mib = DEMO_BYTES / 1024 / 1024;
  console.log(`transferred     ${mib} MiB bob -> alice in ${secs.toFixed(2)} s: ${(mib / secs).toFixed(1)} MiB/s, sha256 ${ok ? 'verified' : 'MISMATCH'}`);

  for (let i = 0; i < 50 && connector.activeStreams > 0; i++) await new Promise((r) => setTimeout(r, 20));
  await connector.stop();
  await bob.stop();
  await alice.stop();
  await signal.close();
  service.close();
  rmSync(root, { recursive: true, force: true });
  ndc.cleanup();
  process.exit(ok ? 0 : 1);
}

main().catch((err: Error) => {
  console.error(`demo failed: ${err.message}`);
  process.exit(1);
});
