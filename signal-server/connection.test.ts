import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import { admitMessage, connSocketClass, heartbeat, RATE_BURST, RATE_PER_SEC, type Conn } from './connection.js';
import { RelayRelease } from './relay-release.js';

function conn(id: number, pings: number[]): Conn {
  const ws = { ping: () => pings.push(id) } as unknown as WebSocket;
  return { id, ws, nonce: 'n', remotePort: 1, ip: '127.0.0.1', localAddress: '127.0.0.1', milliTokens: RATE_BURST * 1000, tokensAt: 0, lastRateError: -1000, alive: true };
}

describe('admitMessage', () => {
  it('admits a burst, then drops and reports once per interval, and refills at the rate', () => {
    const perMsg = 1000 / RATE_PER_SEC;
    const c = conn(1, []);
    for (let i = 0; i < RATE_BURST; i++) assert.deepEqual(admitMessage(c, 0), { ok: true, report: false });
    assert.deepEqual(admitMessage(c, 0), { ok: false, report: true }, 'the first drop is reported at once');
    assert.deepEqual(admitMessage(c, perMsg - 1), { ok: false, report: false }, 'less than one message refilled; reported already');
    assert.deepEqual(admitMessage(c, perMsg), { ok: true, report: false }, 'one message refilled');
    assert.deepEqual(admitMessage(c, perMsg + 0.9), { ok: false, report: false }, 'fractions of a ms do not refill');
    c.milliTokens = 0;
    c.tokensAt = 1000;
    assert.deepEqual(admitMessage(c, 1000.4), { ok: false, report: true }, 'a second after the last report: reported again');
    assert.deepEqual(admitMessage(c, 1000 + 10 * perMsg), { ok: true, report: false });
    assert.equal(c.milliTokens, 9000, 'ten messages refilled, one spent');
  });

  it('a message is no sign of life: only a pong is (a client that never reads is dropped)', () => {
    const c = conn(1, []);
    c.alive = false;
    assert.equal(admitMessage(c).ok, true);
    assert.equal(c.alive, false);
  });
});

describe('heartbeat', () => {
  it('pings live connections and drops one that missed the previous round', () => {
    const pings: number[] = [];
    const a = conn(1, pings);
    const b = conn(2, pings);
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
    const conns = [1, 2, 3, 4, 5, 6].map((id) => conn(id, pings));
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

describe('connSocketClass', () => {
  it('hands each socket event to the connection the socket carries, with no listeners on the socket', () => {
    const seen: string[] = [];
    const Socket = connSocketClass({
      message: (c, data) => seen.push(`message ${c.id} ${String(data)}`),
      close: (c, code) => seen.push(`close ${c.id} ${code}`),
      error: (c, err) => seen.push(`error ${c?.id} ${err.message}`),
    });
    const wa = new Socket(null, undefined, {});
    const wb = new Socket(null, undefined, {});
    const a = conn(1, []);
    const b = conn(2, []);
    wa.conn = a;
    wb.conn = b;
    assert.equal(wa.eventNames().length, 0);
    wb.emit('message', Buffer.from('hi'), false);
    b.alive = false;
    wb.emit('pong', Buffer.alloc(0));
    assert.equal(b.alive, true);
    let closes = 0;
    wa.on('close', () => closes++); // others still hear 'close'
    wa.emit('close', 1000, Buffer.alloc(0));
    assert.equal(closes, 1);
    assert.deepEqual(seen, ['message 2 hi', 'close 1 1000']);
    assert.equal(wa.conn, undefined, 'closed: the socket lets go of its connection');
    wa.emit('message', Buffer.from('late'), false); // goes nowhere
    assert.equal(wa.emit('error', new Error('reset')), true, 'an error with no listener does not throw');
    assert.deepEqual(seen, ['message 2 hi', 'close 1 1000', 'error undefined reset']);
    let other = 0;
    wb.on('ping', () => other++);
    wb.emit('ping', Buffer.alloc(0));
    assert.equal(other, 1, 'events it does not handle go to EventEmitter');
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
