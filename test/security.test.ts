/**
 * What a malicious signalling server can and cannot do (seed 003's question).
 * A proxy between the peers and the real server rewrites the DTLS fingerprint in
 * every SDP: the signed descriptions no longer verify and the connection is
 * refused. Keys met by name are pinned (known_peers); full peer ids pin too.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocketServer, WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Proc, cleanup, connectAndWaitClose, echoService, exchange, randomData, sha256, startConnect, startExpose, startSignal, tmpDir, type SignalProc } from './helpers.js';

/** A WebSocket man in the middle that swaps the DTLS fingerprint in offers and answers. */
async function tamperingProxy(upstream: string): Promise<{ url: string; rewrites: () => number; close: () => void }> {
  let rewrites = 0;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  wss.on('connection', (client) => {
    const up = new WebSocket(upstream);
    const queue: string[] = [];
    up.on('open', () => queue.splice(0).forEach((m) => up.send(m)));
    client.on('message', (d) => (up.readyState === WebSocket.OPEN ? up.send(d.toString()) : queue.push(d.toString())));
    up.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { type: string; payload?: { kind?: string; sdp?: string } };
      if (m.type === 'signal' && m.payload?.sdp && (m.payload.kind === 'offer' || m.payload.kind === 'answer')) {
        // The attacker's own certificate would go here; any other fingerprint shows the point.
        m.payload.sdp = m.payload.sdp.replace(/a=fingerprint:sha-256 ([0-9A-F:]+)/, (_all, fp: string) => `a=fingerprint:sha-256 ${fp.split(':').reverse().join(':')}`);
        rewrites++;
      }
      client.send(JSON.stringify(m));
    });
    client.on('close', () => up.close());
    up.on('close', () => client.close());
    up.on('error', () => client.close());
  });
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, rewrites: () => rewrites, close: () => wss.close() };
}

describe('security against the signalling path', () => {
  let signal: SignalProc;
  let echoPort: number;
  before(async () => {
    signal = await startSignal();
    echoPort = await echoService();
  });
  after(cleanup);

  it('refuses the connection when the server swaps the DTLS fingerprint', async () => {
    const proxy = await tamperingProxy(signal.url);
    try {
      const ex = await startExpose('victim', [`echo=${echoPort}`], proxy.url);
      const c = await startConnect('victim/echo', proxy.url);
      const code = await c.proc.exited;
      assert.equal(code, 3, 'connect exits with 3 on tampering');
      assert.ok(proxy.rewrites() >= 1);
      await c.proc.waitFor(/error \[tampered\]: .*signature does not verify/, 'err');
      await ex.proc.waitFor(/code=tampered .*signature does not verify/, 'err');
      // And no data path was ever set up.
      assert.equal(ex.proc.eventsMatching('route').length, 0, 'exposer must not connect');
    } finally {
      proxy.close();
    }
  });

  it('refuses a changed key for a known name (known_peers), and accepts a pinned peer id', async () => {
    const first = await startExpose('bob', [`echo=${echoPort}`], signal.url);
    const connectDir = tmpDir();
    const c1 = await startConnect('bob/echo', signal.url, connectDir);
    await c1.proc.waitForEvent({ event: 'route', target: 'bob/echo', kind: 'direct' });
    const known = JSON.parse(readFileSync(join(connectDir, 'known_peers.json'), 'utf8')) as { peers: Record<string, { peerId: string }> };
    assert.equal(known.peers.bob?.peerId, first.peerId);
    await c1.proc.stop();
    await first.proc.stop();
    // The server keeps "bob" bound to the first key (#8 item 4); the operator releases it,
    // so another key can register the name and the client's own pin is what refuses it.
    const rel = new Proc('release-name', ['release-name', 'bob', '--data-dir', signal.dataDir]);
    assert.equal(await rel.exited, 0);

    // Someone else now registers as "bob" with another key.
    const impostor = await startExpose('bob', [`echo=${echoPort}`], signal.url);
    assert.notEqual(impostor.peerId, first.peerId);
    const c2 = await startConnect('bob/echo', signal.url, connectDir);
    assert.equal(await c2.proc.exited, 3);
    await c2.proc.waitFor(/error \[key-changed\]: the key of peer "bob" has changed/, 'err');

    // Pinning by full peer id connects to exactly that key, whatever name it has.
    const c3 = await startConnect(`${impostor.peerId}/echo`, signal.url, connectDir);
    const d = randomData(100_000);
    assert.equal(sha256(await exchange(c3.port, d)), sha256(d));
  });

  it('a pinned peer id that is not online is reported, and the client closed', async () => {
    const c = await startConnect(`${'ab'.repeat(20)}/echo`, signal.url, tmpDir(), []);
    const r = await connectAndWaitClose(c.port, undefined, 30_000);
    assert.equal(r.received, 0);
    await c.proc.waitFor(/cannot carry connection .*is not online/, 'err');
  });
});
