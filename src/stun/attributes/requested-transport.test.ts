import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TransportProtocol, decodeRequestedTransport, encodeRequestedTransport } from './requested-transport.js';
import { assertRejectsLengths } from './test-util.js';

test('REQUESTED-TRANSPORT round trip', () => {
  assert.equal(TransportProtocol.UDP, 17);
  assert.equal(TransportProtocol.TCP, 6);
  assert.deepEqual(encodeRequestedTransport(), Buffer.from('11000000', 'hex'));
  assert.equal(decodeRequestedTransport(encodeRequestedTransport(TransportProtocol.TCP)), 6);
  assert.equal(decodeRequestedTransport(Buffer.from('11ffffff', 'hex')), 17); // RFFU ignored
  assert.equal(decodeRequestedTransport(Buffer.from('84000000', 'hex')), 132); // unknown protocols decode; server answers 442
});

test('REQUESTED-TRANSPORT rejects bad lengths and values', () => {
  assertRejectsLengths(decodeRequestedTransport, [0, 1, 3, 5]);
  assert.throws(() => encodeRequestedTransport(256), RangeError);
});
