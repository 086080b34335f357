import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeUnknownAttributes, encodeUnknownAttributes } from './unknown-attributes.js';
import { assertRejectsLengths } from './test-util.js';

test('UNKNOWN-ATTRIBUTES round trip', () => {
  assert.deepEqual(encodeUnknownAttributes([0x7777, 0x0031, 0x1]), Buffer.from('777700310001', 'hex'));
  assert.deepEqual(decodeUnknownAttributes(encodeUnknownAttributes([0x7777, 0x0031, 0x1])), [0x7777, 0x0031, 0x1]);
  assert.deepEqual(decodeUnknownAttributes(Buffer.alloc(0)), []);
});

test('UNKNOWN-ATTRIBUTES rejects odd lengths and bad types', () => {
  assertRejectsLengths(decodeUnknownAttributes, [1, 3, 5]);
  assert.throws(() => encodeUnknownAttributes([0x10000]), RangeError);
});
