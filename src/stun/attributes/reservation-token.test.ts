import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeReservationToken, encodeReservationToken } from './reservation-token.js';
import { assertRejectsLengths } from './test-util.js';

test('RESERVATION-TOKEN round trip and lengths', () => {
  const t = Buffer.from('0102030405060708', 'hex');
  assert.deepEqual(decodeReservationToken(encodeReservationToken(t)), t);
  assertRejectsLengths(decodeReservationToken, [0, 4, 7, 9]);
  assert.throws(() => encodeReservationToken(Buffer.alloc(4)), RangeError);
});
