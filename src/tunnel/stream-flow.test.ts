/**
 * TunnelStream's flow control, driven directly through a mock data channel and
 * real TCP sockets on 127.0.0.1: the sender's credit window, the receiver's
 * grants, a peer ignoring the window, the bufferedAmount water marks, and the
 * coalescing of full socket reads into messages of up to MAX_CHUNK, and the
 * short read that is sent at once.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { INITIAL_WINDOW, MAX_CHUNK } from './stream.js';
import { HIGH_WATER, LOW_WATER, MAX_READ, destroySockets, newStream, settle, socketPair, until } from './stream-harness.test.js';

const MiB = 1024 * 1024;
/** stream.ts grants credit in batches of an eighth of the window. */
const GRANT_BATCH = INITIAL_WINDOW / 8;

const credits = (frames: { t: string; n?: number }[]): number[] => frames.filter((f) => f.t === 'credit').map((f) => f.n!);
const sum = (ns: number[]): number => ns.reduce((a, b) => a + b, 0);

describe('TunnelStream: flow control', { timeout: 20_000 }, () => {
  afterEach(destroySockets);

  it('stops reading its socket when credit runs out and resumes on credit', async () => {
    const h = newStream();
    const { local, app } = await socketPair();
    h.stream.attach(local);
    const data = randomBytes(INITIAL_WINDOW + 3 * MiB);
    app.sock.write(data);

    await until(() => h.ch.bytesSent >= INITIAL_WINDOW, 'the first window to be sent');
    await settle();
    const first = h.ch.bytesSent;
    assert.ok(first <= INITIAL_WINDOW + MAX_READ, `${first} bytes sent on a ${INITIAL_WINDOW}-byte window`);
    assert.ok(local.isPaused(), 'socket paused without credit');
    // Room in the channel is not credit.
    h.ch.fireBufferedAmountLow();
    await settle();
    assert.equal(h.ch.bytesSent, first, 'no bytes without credit');
    assert.ok(local.isPaused());

    h.ch.deliverFrame({ t: 'credit', n: MiB });
    await until(() => h.ch.bytesSent >= INITIAL_WINDOW + MiB, 'bytes on the new credit');
    await settle();
    const second = h.ch.bytesSent;
    assert.ok(second <= INITIAL_WINDOW + MiB + MAX_READ, `${second} bytes sent on ${INITIAL_WINDOW + MiB} of credit`);
    assert.ok(local.isPaused(), 'paused again at the end of the new credit');

    h.ch.deliverFrame({ t: 'credit', n: 4 * MiB });
    app.sock.end();
    await until(() => h.ch.frameTypes().includes('fin'), 'fin');
    assert.ok(Buffer.concat(h.ch.messages).equals(data), 'every byte, in order, once');
  });

  it('grants credit in batches, only for bytes its socket has flushed', async () => {
    const h = newStream();
    const { local, app } = await socketPair();
    h.stream.attach(local);
    app.sock.pause(); // a slow application: our socket's buffer fills
    const total = INITIAL_WINDOW;
    for (let off = 0; off < total; off += MAX_CHUNK) h.ch.deliver(randomBytes(MAX_CHUNK));
    assert.ok(local.writableLength > 0, 'the socket holds unflushed bytes');
    const grantedEarly = sum(credits(h.ch.frames));
    assert.ok(grantedEarly <= total - local.writableLength, `granted ${grantedEarly} of ${total - local.writableLength} flushed`);

    app.sock.resume();
    await until(() => app.bytes === total, 'all bytes at the app');
    await until(() => sum(credits(h.ch.frames)) > total - GRANT_BATCH, 'credit for what was flushed');
    const ns = credits(h.ch.frames);
    assert.ok(ns.every((n) => n >= GRANT_BATCH), `batches ${ns.join(',')}`);
    assert.ok(sum(ns) <= total);
  });

  it('refuses a peer that ignores the window: one chunk of overshoot is allowed, a byte more is reset', async () => {
    const h = newStream(); // no socket yet: nothing is flushed, so nothing is granted
    const limit = INITIAL_WINDOW + MAX_CHUNK;
    for (let off = 0; off < limit; off += MAX_CHUNK) h.ch.deliver(Buffer.alloc(MAX_CHUNK));
    assert.deepEqual(h.ends, [], 'within the window plus one chunk');
    h.ch.deliver(Buffer.alloc(1));
    const reason = 'protocol violation: peer exceeded the flow-control window';
    assert.deepEqual(h.ends, [{ ok: false, reason }]);
    assert.deepEqual(h.ch.frames, [{ t: 'rst', reason }]);
    assert.ok(h.ch.closed);
    h.ch.deliver(Buffer.alloc(MAX_CHUNK)); // ignored, not buffered
    assert.equal(h.stream.stats.bytesIn, limit + 1);
  });

  it('resets a peer that sends bytes after its fin', async () => {
    const h = newStream(); // no socket: see the half-close reset test below
    h.ch.deliverFrame({ t: 'fin' });
    h.ch.deliver(Buffer.from('more'));
    const reason = 'protocol violation: data after fin';
    assert.deepEqual(h.ends, [{ ok: false, reason }]);
    assert.deepEqual(h.ch.frames, [{ t: 'rst', reason }]);
    assert.ok(h.ch.closed);
  });

  // Regression: after the peer's fin our socket's write side is ended, and Node 20 cannot reset a
  // socket that is shutting down: resetAndDestroy() failed with EINVAL and left the handle behind,
  // the process spinning at 100% CPU and never exiting; the EINVAL also re-entered abort(), so the
  // stream ended with 'local socket error: EINVAL' and sent a second rst. abort() now marks the
  // stream ended first and destroys a half-closed socket instead of resetting it.
  it('a reset after the peer\'s fin keeps its reason, sends one rst, and frees the socket', async () => {
    const h = newStream();
    const { local } = await socketPair();
    h.stream.attach(local);
    h.ch.deliverFrame({ t: 'fin' });
    h.ch.deliverFrame({ t: 'rst', reason: 'gone' });
    assert.deepEqual(h.ends, [{ ok: false, reason: 'reset by peer: gone' }]);
    assert.deepEqual(h.ch.frames, []);
  });

  it('pauses above the high water mark of bufferedAmount and resumes when it falls to it', async () => {
    const h = newStream();
    assert.equal(h.ch.lowThreshold, LOW_WATER, 'low-water callback threshold');
    const { local, app } = await socketPair();
    h.stream.attach(local);

    h.ch.buffered = HIGH_WATER + 1;
    app.sock.write(Buffer.alloc(1000));
    await until(() => h.ch.bytesSent === 1000, 'first bytes');
    assert.ok(local.isPaused(), 'paused above HIGH_WATER');
    h.ch.fireBufferedAmountLow(); // still above
    assert.ok(local.isPaused());

    h.ch.buffered = HIGH_WATER;
    h.ch.fireBufferedAmountLow();
    assert.equal(local.isPaused(), false, 'resumed at HIGH_WATER');
    app.sock.write(Buffer.alloc(1000));
    await until(() => h.ch.bytesSent === 2000, 'more bytes');
    assert.equal(local.isPaused(), false, 'not paused at exactly HIGH_WATER');
  });

  it('coalesces the full reads of one event-loop turn into one message, up to MAX_CHUNK', async () => {
    const h = newStream();
    const { local } = await socketPair();
    h.stream.attach(local);
    const sizes = async (reads: Buffer[]): Promise<number[]> => {
      const before = h.ch.messages.length;
      for (const r of reads) local.emit('data', r); // several reads in one turn
      await settle(5);
      const msgs = h.ch.messages.slice(before);
      assert.ok(Buffer.concat(msgs).equals(Buffer.concat(reads)), 'bytes in order');
      return msgs.map((m) => m.length);
    };
    const reads = (n: number, size: number): Buffer[] => Array.from({ length: n }, () => randomBytes(size));

    // Full reads wait for the end of the turn: more may follow.
    assert.deepEqual(await sizes(reads(3, MAX_READ)), [3 * MAX_READ]);
    // A full chunk goes at once; the rest waits for the end of the turn.
    assert.deepEqual(await sizes(reads(5, MAX_READ)), [MAX_CHUNK, MAX_READ]);
    // A short read is the last of its turn (libuv reads no more): it goes with the full reads before it.
    assert.deepEqual(await sizes([...reads(2, MAX_READ), randomBytes(10_000)]), [2 * MAX_READ + 10_000]);
    // One read larger than a chunk is cut into chunks.
    assert.deepEqual(await sizes([randomBytes(2 * MAX_CHUNK + 7)]), [MAX_CHUNK, MAX_CHUNK, 7]);
  });

  it('sends a short read at once, without waiting for the end of the turn (small requests and replies)', async () => {
    const h = newStream();
    const { local } = await socketPair();
    h.stream.attach(local);
    local.emit('data', randomBytes(64));
    assert.deepEqual(h.ch.messages.map((m) => m.length), [64], 'sent within the read callback');
    local.emit('data', randomBytes(MAX_READ));
    assert.deepEqual(h.ch.messages.map((m) => m.length), [64], 'a full read waits: more may follow in this turn');
    local.emit('data', randomBytes(100));
    assert.deepEqual(h.ch.messages.map((m) => m.length), [64, MAX_READ + 100], 'the short read ends the turn: both go now');
    await settle(5);
    assert.equal(h.ch.messages.length, 2, 'nothing left for the end of the turn');
  });

  it('never sends a message over MAX_CHUNK from a real socket', async () => {
    const h = newStream();
    const { local, app } = await socketPair();
    h.stream.attach(local);
    const data = randomBytes(3 * MiB);
    app.sock.end(data);
    await until(() => h.ch.frameTypes().includes('fin'), 'fin');
    assert.ok(Buffer.concat(h.ch.messages).equals(data));
    assert.ok(h.ch.messages.every((m) => m.length <= MAX_CHUNK), `largest ${Math.max(...h.ch.messages.map((m) => m.length))}`);
  });
});
