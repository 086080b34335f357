import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeResponsePort, encodeResponsePort } from './response-port.js';
import { assertRejectsLengths } from './test-util.js';

test('RESPONSE-PORT round trip (4-byte form; 2-byte form accepted)', () => {
  assert.deepEqual(encodeResponsePort(3479), Buffer.from('0d970000', 'hex'));
  assert.equal(decodeResponsePort(encodeResponsePort(65535)), 65535);
  assert.equal(decodeResponsePort(Buffer.from('0d97', 'hex')), 3479);
});

test('RESPONSE-PORT rejects bad lengths and ports', () => {
  assertRejectsLengths(decodeResponsePort, [0, 1, 3, 5, 8]);
  assert.throws(() => encodeResponsePort(65536), RangeError);
});
