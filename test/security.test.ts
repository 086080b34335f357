/**
 * What a malicious signalling server can and cannot do (seed 003's question).
 * A proxy between the peers and the real server rewrites the DTLS fingerprint in
 * every SDP: the signed descriptions no longer verify and the connection is
 * refused. Keys met by name are pinned (known_peers); full peer ids pin too.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Proc, cleanup, connectAndWaitClose, echoService, exchange, randomData, sha256, startConnect, startExpose, startSignal, tmpDir, type SignalProc } from './helpers.js';
import { tamperingProxy } from './harness/tampering-proxy.js';

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
