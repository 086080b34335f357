import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLifetime, encodeLifetime } from './lifetime.js';
import { assertRejectsLengths } from './test-util.js';

test('LIFETIME round trip', () => {
  assert.deepEqual(encodeLifetime(600), Buffer.from('00000258', 'hex'));
  for (const n of [0, 600, 3600, 0xffffffff]) assert.equal(decodeLifetime(encodeLifetime(n)), n);
});

test('LIFETIME rejects bad lengths and values', () => {
  assertRejectsLengths(decodeLifetime, [0, 3, 5, 8]);
  assert.throws(() => encodeLifetime(-1), RangeError);
  assert.throws(() => encodeLifetime(2 ** 32), RangeError);
  assert.throws(() => encodeLifetime(1.5), RangeError);
});
