import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import { TokenBucket } from './rate-limit.js';
import { admitMessage, heartbeat, socketEvents, type Conn } from './connection.js';
import { RelayRelease } from './relay-release.js';

function conn(id: number, bucket: TokenBucket, pings: number[]): Conn {
  const ws = { ping: () => pings.push(id) } as unknown as WebSocket;
  return { id, ws, nonce: 'n', remotePort: 1, ip: '127.0.0.1', localAddress: '127.0.0.1', bucket, lastRateError: 0, alive: true };
}

describe('admitMessage', () => {
  it('admits within the rate, then drops and reports once per interval', () => {
    let t = 0;
    const c = conn(1, new TokenBucket(10, 2, () => t), []);
    assert.deepEqual(admitMessage(c, 10_000), { ok: true, report: false });
    assert.deepEqual(admitMessage(c, 10_000), { ok: true, report: false });
    assert.deepEqual(admitMessage(c, 10_000), { ok: false, report: true });
    assert.deepEqual(admitMessage(c, 10_500), { ok: false, report: false });
    assert.deepEqual(admitMessage(c, 11_000), { ok: false, report: true });
    t += 100;
    assert.deepEqual(admitMessage(c, 11_100), { ok: true, report: false });
  });

  it('a message is no sign of life: only a pong is (a client that never reads is dropped)', () => {
    const c = conn(1, new TokenBucket(100, 100, () => 0), []);
    c.alive = false;
    assert.equal(admitMessage(c).ok, true);
    assert.equal(c.alive, false);
  });
});

describe('heartbeat', () => {
  it('pings live connections and drops one that missed the previous round', () => {
    const pings: number[] = [];
    const a = conn(1, new TokenBucket(1, 1), pings);
    const b = conn(2, new TokenBucket(1, 1), pings);
    const dropped: number[] = [];
    heartbeat([a, b], (c) => dropped.push(c.id));
    assert.deepEqual(pings, [1, 2]);
    assert.equal(dropped.length, 0);
    a.alive = true; // a answered the ping with a pong (the server's 'pong' handler), b did not
    heartbeat([a, b], (c) => dropped.push(c.id));
    assert.deepEqual(dropped, [2]);
    assert.deepEqual(pings, [1, 2, 1]);
  });

  it('in slots: a round pings only its slot, and every connection is pinged once over all the slots', () => {
    const pings: number[] = [];
    const conns = [1, 2, 3, 4, 5, 6].map((id) => conn(id, new TokenBucket(1, 1), pings));
    const dropped: number[] = [];
    heartbeat(conns, (c) => dropped.push(c.id), { index: 1, slots: 3 });
    assert.deepEqual(pings, [1, 4]);
    heartbeat(conns, (c) => dropped.push(c.id), { index: 2, slots: 3 });
    heartbeat(conns, (c) => dropped.push(c.id), { index: 0, slots: 3 });
    assert.deepEqual([...pings].sort(), [1, 2, 3, 4, 5, 6]);
    conns[0]!.alive = true; // 1 answered; 4 (same slot) did not
    heartbeat(conns, (c) => dropped.push(c.id), { index: 1, slots: 3 });
    assert.deepEqual(dropped, [4], 'a connection of another slot is not judged in this one');
  });
});

describe('socketEvents', () => {
  it('routes each socket event to the connection of the socket it is called on', () => {
    const a = conn(1, new TokenBucket(1, 1), []);
    const b = conn(2, new TokenBucket(1, 1), []);
    const conns = new Map<WebSocket, Conn>([
      [a.ws, a],
      [b.ws, b],
    ]);
    const seen: string[] = [];
    const ev = socketEvents(conns, {
      message: (c, data) => seen.push(`message ${c.id} ${String(data)}`),
      close: (c, code) => seen.push(`close ${c.id} ${code}`),
      error: (c, err) => seen.push(`error ${c?.id} ${err.message}`),
    });
    ev.message.call(b.ws, Buffer.from('hi'), false);
    ev.close.call(a.ws, 1000);
    b.alive = false;
    ev.pong.call(b.ws);
    assert.deepEqual(seen, ['message 2 hi', 'close 1 1000']);
    assert.equal(b.alive, true);
    conns.delete(a.ws); // closed: later events of its socket go nowhere, an error is still reported
    ev.message.call(a.ws, Buffer.from('late'), false);
    ev.error.call(a.ws, new Error('reset'));
    assert.deepEqual(seen, ['message 2 hi', 'close 1 1000', 'error undefined reset']);
  });
});

describe('RelayRelease', () => {
  it('releases after the grace period unless the peer came back', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const released: string[] = [];
      const r = new RelayRelease((id) => released.push(id), 5000);
      r.schedule('gone');
      r.schedule('back');
      mock.timers.tick(4999);
      assert.equal(released.length, 0);
      r.cancel('back');
      mock.timers.tick(1);
      assert.deepEqual(released, ['gone']);
      r.schedule('late');
      r.clear();
      mock.timers.tick(10_000);
      assert.deepEqual(released, ['gone']);
    } finally {
      mock.timers.reset();
    }
  });
});
