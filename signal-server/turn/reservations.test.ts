/** EVEN-PORT R-bit reservations with mocked timers: the 30 s hold, single use of a token, and shutdown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RESERVATION_MS, RESERVATION_TOKEN_BYTES, Reservations } from './reservations.js';

function setup(): { r: Reservations<string>; expired: string[]; closed: string[] } {
  const expired: string[] = [];
  const closed: string[] = [];
  return { r: new Reservations<string>((s) => expired.push(s), (s) => closed.push(s)), expired, closed };
}

test('a token claims its item once; a used token is worthless', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { r, expired } = setup();
  const token = r.reserve('port 50001');
  assert.equal(token.length, RESERVATION_TOKEN_BYTES);
  assert.equal(r.size, 1);
  assert.equal(r.take(Buffer.from(token)), 'port 50001'); // compared by value, not identity
  assert.equal(r.size, 0);
  assert.equal(r.take(token), undefined);
  // The claimed item's timer is gone: it is not given back later.
  t.mock.timers.tick(RESERVATION_MS * 2);
  assert.deepEqual(expired, []);
});

test('unclaimed for 30 s: given back, and its token no longer works', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { r, expired } = setup();
  assert.equal(RESERVATION_MS, 30_000);
  const token = r.reserve('port 50001');
  t.mock.timers.tick(RESERVATION_MS - 1);
  assert.deepEqual(expired, []);
  t.mock.timers.tick(1);
  assert.deepEqual(expired, ['port 50001']);
  assert.equal(r.size, 0);
  assert.equal(r.take(token), undefined);
});

test('each reservation has its own token and its own clock', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { r, expired } = setup();
  const a = r.reserve('a');
  t.mock.timers.tick(10_000);
  const b = r.reserve('b');
  assert.notDeepEqual(a, b);
  assert.equal(r.take(Buffer.alloc(RESERVATION_TOKEN_BYTES)), undefined); // an unknown token
  t.mock.timers.tick(RESERVATION_MS - 10_000);
  assert.deepEqual(expired, ['a']);
  assert.equal(r.take(b), 'b');
  t.mock.timers.tick(RESERVATION_MS);
  assert.deepEqual(expired, ['a']);
});

test('the hold time can be given', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const expired: string[] = [];
  const r = new Reservations<string>((s) => expired.push(s), () => {}, 50);
  r.reserve('x');
  t.mock.timers.tick(49);
  assert.deepEqual(expired, []);
  t.mock.timers.tick(1);
  assert.deepEqual(expired, ['x']);
});

test('clear() closes what is still held and stops the timers', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { r, expired, closed } = setup();
  const a = r.reserve('a');
  r.reserve('b');
  r.take(a);
  r.clear();
  assert.deepEqual(closed, ['b']);
  assert.equal(r.size, 0);
  t.mock.timers.tick(RESERVATION_MS);
  assert.deepEqual(expired, []);
});
