/**
 * Peers relaying over TCP and TLS through their local bridges, as real
 * processes on loopback: `p2prc server --turn-tls-port` (TCP at the STUN
 * port's number, TLS with a self-signed certificate peers pin), and
 * expose/connect with --relay-transport tcp|tls --force-relay (on loopback UDP
 * works, so the transport is forced; the lab's udp-blocked routers show
 * `auto` choosing it). Bytes are sha256-checked, the route says `relay (tcp)`,
 * and the relay's and the peers' mapping rows say which transport carried it.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { get as httpsGet } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { SignalClient } from '../src/peer/signal-client.js';
import { Identity } from '../src/identity/keys.js';
import { resolveDataDir } from '../src/util/paths.js';
import { asRoute, cleanup, echoService, exchange, randomData, sha256, startConnect, startExpose, startSignal, tmpDir, type SignalProc } from './helpers.js';

const SECRET = 'relay-stream-secret';
const MiB = 1024 * 1024;

interface Row {
  route: string;
  role: string;
  service?: string;
  relay_transport?: string;
  ended_at?: string;
}
const rows = (dir: string): Row[] => (JSON.parse(readFileSync(join(dir, 'reverse_proxy_mapping.json'), 'utf8')) as { reverse_proxy_mappings: Row[] }).reverse_proxy_mappings;

describe('relay over TCP and TLS: peers through their local bridges', () => {
  let s: SignalProc;
  let listening: Record<string, unknown>;
  before(async () => {
    s = await startSignal(['--secret', SECRET, '--turn-tls-port', '0']);
    listening = await s.proc.waitForEvent({ event: 'listening' });
  });
  after(cleanup);

  it('listens on TCP and TLS and says so, with the self-signed certificate\'s fingerprint', () => {
    assert.equal(typeof listening.tcpPort, 'number');
    assert.equal(typeof listening.tlsPort, 'number');
    assert.match(String(listening.certFingerprint), /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  for (const [transport, mib, a, b] of [['tcp', 32, '127.0.0.2', '127.0.0.3'], ['tls', 32, '127.0.0.4', '127.0.0.5']] as const) {
    it(`moves ${mib} MiB each way over ${transport.toUpperCase()}, sha256-verified; route and rows say relay (${transport})`, async () => {
      const echo = await echoService();
      const flags = ['--force-relay', '--relay-transport', transport, '--secret', SECRET];
      const ex = await startExpose(`stream-${transport}`, [`echo=${echo}`], s.url, undefined, [...flags, '--bind', a]);
      await ex.proc.waitForEvent({ event: 'relay-path', transport });
      const c = await startConnect(`stream-${transport}/echo`, s.url, undefined, [...flags, '--bind', b]);
      const rp = await c.proc.waitForEvent({ event: 'relay-path', transport });
      assert.match(String(rp.via), new RegExp(`^${transport} 127\\.0\\.0\\.1:${transport === 'tcp' ? listening.tcpPort : listening.tlsPort}$`));
      const route = asRoute(await c.proc.waitForEvent({ event: 'route', target: `stream-${transport}/echo`, kind: 'relay' }));
      assert.equal(route.relayTransport, transport, JSON.stringify(route));
      const data = randomData(mib * MiB);
      const back = await exchange(c.port, data, { timeoutMs: 180_000 });
      assert.equal(sha256(back), sha256(data));
      assert.ok(rows(c.dataDir).some((r) => r.route === 'relay' && r.service === 'echo' && r.relay_transport === transport), 'connect row');
      // The relay's rows: both peers' allocations came over the stream.
      const relayRows = rows(s.dataDir).filter((r) => r.role === 'server' && r.route === 'relay' && r.relay_transport === transport);
      assert.ok(relayRows.length >= 2, `relay rows over ${transport}: ${JSON.stringify(rows(s.dataDir).map((r) => [r.role, r.route, r.relay_transport]))}`);
      await c.proc.stop('SIGTERM');
      await ex.proc.stop('SIGTERM');
    });
  }

  it('keeps UDP when it works (auto): no bridge, no stream allocation', async () => {
    const echo = await echoService();
    const ex = await startExpose('stream-auto', [`echo=${echo}`], s.url, undefined, ['--force-relay', '--secret', SECRET, '--bind', '127.0.0.6']);
    const c = await startConnect('stream-auto/echo', s.url, undefined, ['--force-relay', '--secret', SECRET, '--bind', '127.0.0.7']);
    const route = asRoute(await c.proc.waitForEvent({ event: 'route', target: 'stream-auto/echo', kind: 'relay' }));
    assert.equal(route.relayTransport, undefined);
    const data = randomData(MiB);
    assert.equal(sha256(await exchange(c.port, data)), sha256(data));
    assert.ok(!c.proc.events.some((e) => e.obj.event === 'relay-path'), 'no relay-path line when UDP works');
    await c.proc.stop('SIGTERM');
    await ex.proc.stop('SIGTERM');
  });
});

describe('one TLS port for signalling and the relay (a firewall that passes only 443)', () => {
  let s: SignalProc;
  let tlsPort = 0;
  before(async () => {
    s = await startSignal(['--secret', SECRET, '--turn-tls-port', '0']);
    tlsPort = Number((await s.proc.waitForEvent({ event: 'listening' })).tlsPort);
  });
  after(cleanup);

  it('answers HTTPS and wss:// signalling on the TURN/TLS port, with its TURN clients beside', async () => {
    const health = await new Promise<string>((resolve, reject) => {
      const req = httpsGet({ host: '127.0.0.1', port: tlsPort, path: '/healthz', rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
    });
    assert.match(health, /"ok"|peers/, health);
    // A peer registers over wss:// on that port (pinned: the certificate is self-signed) and relays over TLS on it.
    const echo = await echoService();
    const ex = await startExpose('shared-443', [`echo=${echo}`], s.url, undefined, ['--force-relay', '--relay-transport', 'tls', '--secret', SECRET, '--bind', '127.0.0.8']);
    await ex.proc.waitForEvent({ event: 'relay-path', transport: 'tls' });
    const fp = await fingerprintAt(tlsPort);
    const client = new SignalClient({ url: `wss://127.0.0.1:${tlsPort}`, name: 'wss-443', identity: Identity.loadOrCreate(resolveDataDir(tmpDir())), secret: SECRET, pinnedCertSha256: fp });
    const reg = await client.connect();
    assert.ok((reg.online ?? 0) >= 1, JSON.stringify(reg));
    assert.ok(client.iceServers.some((i) => [i.urls].flat().some((u) => u === `turns:127.0.0.1:${tlsPort}?transport=tcp`)), JSON.stringify(client.iceServers));
    client.close();
    await ex.proc.stop('SIGTERM');
  });
});

function fingerprintAt(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(sock.getPeerCertificate().fingerprint256);
      sock.destroy();
    });
    sock.on('error', reject);
  });
}
