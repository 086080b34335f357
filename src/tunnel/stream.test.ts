/**
 * TunnelStream's lifecycle, driven directly: a mock data channel (the test plays
 * the remote peer, or two streams back to back) and real TCP sockets on 127.0.0.1.
 * Bytes both ways, half-close each way and the `done` handshake, reset in both
 * directions, refusal with `err`, and a stream that ends before its socket attaches.
 * Flow control (credit, window, water marks, coalescing) is in stream-flow.test.ts.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { App, destroySockets, linkedChannels, newStream, settle, socketPair, until } from './stream-harness.test.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Write `data` from the app, in pieces, respecting its socket's backpressure. */
async function writeAll(app: App, data: Buffer): Promise<void> {
  for (let off = 0; off < data.length; off += 1024 * 1024) {
    if (!app.sock.write(data.subarray(off, off + 1024 * 1024))) await new Promise((r) => app.sock.once('drain', r));
  }
}

describe('TunnelStream: bytes and orderly close', { timeout: 20_000 }, () => {
  afterEach(destroySockets);

  it('carries bytes both ways, half-closes each way in turn, and closes only after both sides exchanged done', async () => {
    const [chA, chB] = linkedChannels();
    const a = newStream(chA);
    const b = newStream(chB);
    const pa = await socketPair();
    const pb = await socketPair();
    a.stream.attach(pa.local);
    b.stream.attach(pb.local);
    // More than the 4 MiB window each way: only finishes if credit is granted back.
    const aToB = randomBytes(10 * 1024 * 1024);
    const bToA = randomBytes(10 * 1024 * 1024 + 17);

    await writeAll(pa.app, aToB);
    pa.app.sock.end();
    await until(() => pb.app.ended, 'b to see a\'s half-close');
    assert.equal(sha(pb.app.received), sha(aToB));
    // a -> b is closed; b -> a still open: nothing has ended.
    assert.equal(chA.closed || chB.closed, false);
    assert.deepEqual([a.ends, b.ends], [[], []]);
    assert.ok(!chA.frameTypes().includes('done') && !chB.frameTypes().includes('done'));

    await writeAll(pb.app, bToA);
    pb.app.sock.end();
    await until(() => a.ends.length === 1 && b.ends.length === 1, 'both streams to end');
    await until(() => pa.app.ended, 'a to see b\'s half-close');
    assert.equal(sha(pa.app.received), sha(bToA));
    assert.deepEqual(a.ends, [{ ok: true }]);
    assert.deepEqual(b.ends, [{ ok: true }]);
    assert.ok(chA.closed && chB.closed);
    assert.deepEqual(a.stream.stats, { bytesOut: aToB.length, bytesIn: bToA.length });
    assert.deepEqual(b.stream.stats, { bytesOut: bToA.length, bytesIn: aToB.length });
    for (const ch of [chA, chB]) assert.deepEqual(ch.frameTypes().filter((t) => t !== 'credit'), ['fin', 'done']);
  });

  it('the remote half-closes first: our socket sees EOF and can still answer', async () => {
    const h = newStream();
    const { local, app } = await socketPair();
    h.stream.attach(local);
    h.ch.deliver(Buffer.from('question'));
    h.ch.deliverFrame({ t: 'fin' });
    await until(() => app.ended, 'EOF at the app');
    assert.equal(app.received.toString(), 'question');
    assert.equal(h.ch.closed, false);
    app.sock.end('answer');
    await until(() => h.ch.frameTypes().includes('done'), 'done sent');
    // The answer, then fin, then done: nothing after the bytes it follows.
    const order = h.ch.sent.map((m) => (typeof m === 'string' ? JSON.parse(m).t : m.toString()));
    assert.deepEqual(order, ['answer', 'fin', 'done']);
    assert.equal(h.ch.closed, false, 'closed before the peer\'s done');
    assert.deepEqual(h.ends, []);
    h.ch.deliverFrame({ t: 'done' });
    assert.ok(h.ch.closed);
    assert.deepEqual(h.ends, [{ ok: true }]);
  });

  it('we half-close first: fin follows our bytes; done waits for the remote fin and our socket\'s finish', async () => {
    const h = newStream();
    const { local, app } = await socketPair();
    h.stream.attach(local);
    app.sock.end('hello');
    await until(() => h.ch.frameTypes().includes('fin'), 'fin sent');
    assert.deepEqual(h.ch.sent.map((m) => (typeof m === 'string' ? JSON.parse(m).t : m.toString())), ['hello', 'fin']);
    // A done from the peer alone does not end the stream: the remote direction is still open.
    h.ch.deliverFrame({ t: 'done' });
    await settle();
    assert.deepEqual(h.ends, []);
    h.ch.deliver(Buffer.from('late reply'));
    h.ch.deliverFrame({ t: 'fin' });
    await until(() => h.ends.length === 1, 'end');
    assert.deepEqual(h.ends, [{ ok: true }]);
    assert.deepEqual(h.ch.frameTypes(), ['fin', 'done']);
    await until(() => app.ended, 'EOF at the app');
    assert.equal(app.received.toString(), 'late reply');
  });

  it('a reset from the peer resets our socket', async () => {
    const h = newStream();
    const { local, app } = await socketPair();
    h.stream.attach(local);
    h.ch.deliverFrame({ t: 'rst', reason: 'client went away' });
    assert.deepEqual(h.ends, [{ ok: false, reason: 'reset by peer: client went away' }]);
    assert.ok(h.ch.closed);
    assert.deepEqual(h.ch.frameTypes(), [], 'a reset is not answered');
    await until(() => app.closed, 'app socket closed');
    assert.equal(app.error?.code, 'ECONNRESET');
    assert.equal(app.ended, false, 'a reset, not a FIN');
  });

  it('a reset of our socket resets the peer with the reason', async () => {
    const h = newStream();
    const { local, app } = await socketPair();
    h.stream.attach(local);
    app.sock.resetAndDestroy();
    await until(() => h.ends.length === 1, 'end');
    assert.deepEqual(h.ends, [{ ok: false, reason: 'local socket error: ECONNRESET' }]);
    assert.deepEqual(h.ch.frames, [{ t: 'rst', reason: 'local socket error: ECONNRESET' }]);
    assert.ok(h.ch.closed);
  });

  it('abort(reason, true) resets both the peer and the local socket; abort(reason, false) only the socket', async () => {
    for (const notify of [true, false]) {
      const h = newStream();
      const { local, app } = await socketPair();
      h.stream.attach(local);
      h.stream.abort('connector stopping', notify);
      h.stream.abort('twice', notify); // idempotent
      assert.deepEqual(h.ends, [{ ok: false, reason: 'connector stopping' }]);
      assert.deepEqual(h.ch.frames, notify ? [{ t: 'rst', reason: 'connector stopping' }] : []);
      assert.ok(h.ch.closed);
      await until(() => app.closed, 'app socket closed');
      assert.equal(app.error?.code, 'ECONNRESET');
    }
  });

  it('the channel closing under a live stream resets the socket', async () => {
    const h = newStream();
    const { local, app } = await socketPair();
    h.stream.attach(local);
    h.ch.closeFromRemote();
    assert.deepEqual(h.ends, [{ ok: false, reason: 'data channel closed by peer or transport' }]);
    await until(() => app.closed, 'app socket closed');
    assert.equal(app.error?.code, 'ECONNRESET');
  });

  it('a channel error or a failed send aborts without a frame', async () => {
    const h = newStream();
    h.stream.attach((await socketPair()).local);
    h.ch.fireError('SCTP failure');
    assert.deepEqual(h.ends, [{ ok: false, reason: 'data channel error: SCTP failure' }]);

    const g = newStream();
    const { local, app } = await socketPair();
    g.stream.attach(local);
    g.ch.failBinary = 'boom';
    app.sock.write('x');
    await until(() => g.ends.length === 1, 'end');
    assert.deepEqual(g.ends, [{ ok: false, reason: 'send failed: boom' }]);
    assert.deepEqual(g.ch.frames, []);
  });

  it('an err frame from the exposing side ends the stream with its code and closes the socket', async () => {
    const h = newStream();
    const { local, app } = await socketPair();
    h.stream.attach(local);
    h.ch.deliverFrame({ t: 'err', code: 'service-unavailable', message: 'alice/web: local service is unavailable' });
    assert.deepEqual(h.ends, [{ ok: false, reason: 'alice/web: local service is unavailable', code: 'service-unavailable' }]);
    assert.ok(h.ch.closed);
    await until(() => app.ended, 'EOF at the app');
    assert.equal(app.error, undefined, 'closed, not reset');
  });

  it('refuse() sends err once and leaves the channel for the peer to close', async () => {
    const h = newStream();
    h.stream.refuse('unknown-service', 'alice does not expose "x"');
    h.stream.refuse('unknown-service', 'again');
    assert.deepEqual(h.ch.frames, [{ t: 'err', code: 'unknown-service', message: 'alice does not expose "x"' }]);
    assert.equal(h.ch.closed, false, 'closing at once could drop the err frame');
    assert.equal(h.ends.length, 0);
    h.ch.closeFromRemote();
    assert.deepEqual(h.ends, [{ ok: false, reason: 'data channel closed by peer or transport' }]);
  });

  it('a stream ended before its socket attached resets the socket instead of sending FIN', async () => {
    for (const end of ['rst', 'err', 'abort'] as const) {
      const h = newStream();
      if (end === 'rst') h.ch.deliverFrame({ t: 'rst' });
      else if (end === 'err') h.ch.deliverFrame({ t: 'err', code: 'service-unavailable', message: 'down' });
      else h.stream.abort('client went away before the channel opened', false);
      assert.equal(h.ends.length, 1, end);
      const { local, app } = await socketPair();
      h.stream.attach(local);
      await until(() => app.closed, `app socket closed (${end})`);
      assert.equal(app.error?.code, 'ECONNRESET', end);
      assert.equal(app.ended, false, `${end}: a FIN is what a service that is not reading never notices`);
    }
  });

  it('bytes and fin that arrive before the socket attaches are delivered on attach', async () => {
    const h = newStream();
    h.ch.deliver(Buffer.from('early '));
    h.ch.deliver(Buffer.from('bytes'));
    h.ch.deliverFrame({ t: 'fin' });
    const { local, app } = await socketPair();
    h.stream.attach(local);
    await until(() => app.ended, 'EOF at the app');
    assert.equal(app.received.toString(), 'early bytes');
  });

  it('ignores a malformed control frame and logs it', async () => {
    const h = newStream();
    const { local, app } = await socketPair();
    h.stream.attach(local);
    h.ch.deliver('{"t":"launch"}');
    h.ch.deliver('not json');
    h.ch.deliver(Buffer.from('still here'));
    await until(() => app.bytes === 10, 'bytes after junk');
    assert.deepEqual(h.ends, []);
    assert.equal(h.logs.filter((l) => l.includes('ignoring malformed control frame')).length, 2);
  });
});

