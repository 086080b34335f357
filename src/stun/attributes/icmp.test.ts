import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeIcmp, encodeIcmp } from './icmp.js';
import { assertRejectsLengths } from './test-util.js';

test('ICMP round trip and lengths', () => {
  const i = { type: 3, code: 4, errorData: 1400 };
  assert.deepEqual(encodeIcmp(i), Buffer.from('0000030400000578', 'hex'));
  assert.deepEqual(decodeIcmp(encodeIcmp(i)), i);
  assert.deepEqual(decodeIcmp(Buffer.from('ffff030400000578', 'hex')), i); // reserved ignored
  assertRejectsLengths(decodeIcmp, [0, 4, 7, 9]);
  assert.throws(() => encodeIcmp({ type: 256, code: 0, errorData: 0 }), RangeError);
});
