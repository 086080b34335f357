import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeChannelNumber, encodeChannelNumber, isValidChannelNumber } from './channel-number.js';
import { assertDecodeError, assertRejectsLengths } from './test-util.js';

test('CHANNEL-NUMBER round trip and range', () => {
  assert.deepEqual(encodeChannelNumber(0x4001), Buffer.from('40010000', 'hex'));
  for (const n of [0x4000, 0x4abc, 0x4fff]) assert.equal(decodeChannelNumber(encodeChannelNumber(n)), n);
  // RFFU bytes are ignored.
  assert.equal(decodeChannelNumber(Buffer.from('4002ffff', 'hex')), 0x4002);
  assert.equal(isValidChannelNumber(0x4000), true);
  assert.equal(isValidChannelNumber(0x4fff), true);
  assert.equal(isValidChannelNumber(0x3fff), false);
  assert.equal(isValidChannelNumber(0x5000), false);
  assert.equal(isValidChannelNumber(0x7fff), false);
  assert.equal(isValidChannelNumber(0x4000 + 0.5), false);
});

test('CHANNEL-NUMBER rejects bad lengths and reserved/invalid numbers', () => {
  assertRejectsLengths(decodeChannelNumber, [0, 2, 3, 5]);
  for (const n of [0x0000, 0x3fff, 0x5000, 0x7fff, 0xffff]) {
    const v = Buffer.alloc(4);
    v.writeUInt16BE(n, 0);
    assertDecodeError(() => decodeChannelNumber(v), 'bad-channel-number');
    assert.throws(() => encodeChannelNumber(n), RangeError);
  }
});

test('the RFC 5766 range (coturn clients) is accepted only when asked for', () => {
  const v = Buffer.from('50870000', 'hex');
  assert.equal(decodeChannelNumber(v, { rfc5766Range: true }), 0x5087);
  assert.equal(isValidChannelNumber(0x7fff, { rfc5766Range: true }), true);
  assert.equal(isValidChannelNumber(0x8000, { rfc5766Range: true }), false);
});
