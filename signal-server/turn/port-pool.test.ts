/**
 * Relay ports on 127.0.0.1: exhaustion, release, ports busy on the host,
 * EVEN-PORT and the R-bit pair. Ranges are picked from ports found free just
 * before, so the test does not depend on what else runs on the machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { PortPool } from './port-pool.js';

const HOST = '127.0.0.1';

async function tryBind(port: number): Promise<Socket | undefined> {
  const s = createSocket('udp4');
  return new Promise((resolve) => {
    s.once('error', () => {
      s.close();
      resolve(undefined);
    });
    s.bind(port, HOST, () => resolve(s));
  });
}
const close = (s: Socket | undefined): Promise<void> => new Promise((resolve) => (s ? s.close(() => resolve()) : resolve()));

/** An even port E with E and E+1 free on the host just now. */
async function freeEvenPair(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const e = 20000 + 2 * Math.floor(Math.random() * 20000);
    const a = await tryBind(e);
    const b = a && (await tryBind(e + 1));
    await close(a);
    await close(b);
    if (a && b) return e;
  }
  throw new Error('no free even port pair found');
}

test('bad ranges are refused', () => {
  assert.throws(() => new PortPool(0, 10), /bad relay port range 0-10/);
  assert.throws(() => new PortPool(10, 65536), /bad relay port range/);
  assert.throws(() => new PortPool(2000, 1999), /bad relay port range/);
  assert.equal(new PortPool(5000, 5000).size, 1);
});

test('exhaustion: every port of the range handed out once, then none; a released port comes back', async () => {
  const e = await freeEvenPair();
  const pool = new PortPool(e, e + 1);
  const a = await pool.bind(HOST);
  const b = await pool.bind(HOST);
  assert.ok(a && b);
  assert.deepEqual([a.socket.address().port, b.socket.address().port].sort(), [e, e + 1]);
  assert.equal(pool.used, 2);
  assert.equal(await pool.bind(HOST), undefined);
  assert.equal(pool.used, 2);
  const port = a.socket.address().port;
  await close(a.socket);
  pool.release(port);
  assert.equal(pool.used, 1);
  const again = await pool.bind(HOST);
  assert.equal(again?.socket.address().port, port);
  await close(again?.socket);
  await close(b.socket);
});

test('a port busy on the host is skipped and not counted as used', async () => {
  const e = await freeEvenPair();
  const squatter = await tryBind(e);
  assert.ok(squatter);
  const pool = new PortPool(e, e);
  assert.equal(await pool.bind(HOST), undefined);
  assert.equal(pool.used, 0);
  const wider = new PortPool(e, e + 1);
  const got = await wider.bind(HOST);
  assert.equal(got?.socket.address().port, e + 1);
  await close(got?.socket);
  await close(squatter);
  // Once the other socket is gone, the port is ours.
  const now = await pool.bind(HOST);
  assert.equal(now?.socket.address().port, e);
  await close(now?.socket);
});

test('EVEN-PORT: an even port; with the R bit, the odd one after it as well', async () => {
  const e = await freeEvenPair();
  const even = new PortPool(e, e + 1);
  for (let i = 0; i < 5; i++) {
    const got = await even.bind(HOST, { even: true });
    assert.equal(got?.socket.address().port, e);
    assert.equal(got?.next, undefined);
    await close(got?.socket);
    even.release(e);
  }
  const got = await even.bind(HOST, { even: true });
  assert.equal(await even.bind(HOST, { even: true }), undefined); // the only even port is taken
  await close(got?.socket);

  const pair = new PortPool(e, e + 1);
  const p = await pair.bind(HOST, { even: true, pair: true });
  assert.equal(p?.socket.address().port, e);
  assert.equal(p?.next?.address().port, e + 1);
  assert.equal(pair.used, 2);
  assert.equal(await pair.bind(HOST), undefined); // both held
  await close(p?.socket);
  await close(p?.next);
});

test('the R bit needs both ports: a busy odd port fails the pair and gives the even one back', async () => {
  const e = await freeEvenPair();
  const squatter = await tryBind(e + 1);
  const pool = new PortPool(e, e + 1);
  assert.equal(await pool.bind(HOST, { even: true, pair: true }), undefined);
  assert.equal(pool.used, 0);
  await close(squatter);
  // A pair cannot start at the top of the range.
  const top = new PortPool(e, e);
  assert.equal(await top.bind(HOST, { even: true, pair: true }), undefined);
  assert.equal(top.used, 0);
});
