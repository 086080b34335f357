import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEvenPort, encodeEvenPort } from './even-port.js';
import { assertRejectsLengths } from './test-util.js';

test('EVEN-PORT round trip', () => {
  assert.deepEqual(encodeEvenPort(true), Buffer.from([0x80]));
  assert.deepEqual(encodeEvenPort(false), Buffer.from([0x00]));
  assert.equal(decodeEvenPort(encodeEvenPort(true)), true);
  assert.equal(decodeEvenPort(encodeEvenPort(false)), false);
  assert.equal(decodeEvenPort(Buffer.from([0x7f])), false); // RFFU bits ignored
});

test('EVEN-PORT rejects bad lengths', () => {
  assertRejectsLengths(decodeEvenPort, [0, 2, 4]);
});
