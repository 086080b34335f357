import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  computeIntegrity, decodeMessageIntegrity, decodeMessageIntegritySha256, integrityEquals, isValidSha256IntegrityLength,
} from './message-integrity.js';
import { assertRejectsLengths } from './test-util.js';

test('HMAC helpers', () => {
  const h = Buffer.alloc(20, 1);
  const b = Buffer.from('body');
  assert.deepEqual(computeIntegrity('sha1', Buffer.from('k'), h, b), createHmac('sha1', 'k').update(Buffer.concat([h, b])).digest());
  const mac = computeIntegrity('sha256', Buffer.from('k'), h, b);
  assert.equal(mac.length, 32);
  assert.equal(integrityEquals(mac, mac), true);
  assert.equal(integrityEquals(mac, mac.subarray(0, 16)), true);
  assert.equal(integrityEquals(mac, Buffer.alloc(32)), false);
  assert.equal(integrityEquals(mac, Buffer.alloc(0)), false);
  assert.equal(integrityEquals(mac.subarray(0, 20), mac), false);
});

test('MESSAGE-INTEGRITY(-SHA256) value lengths', () => {
  assert.equal(decodeMessageIntegrity(Buffer.alloc(20)).length, 20);
  assertRejectsLengths(decodeMessageIntegrity, [0, 16, 19, 21, 32]);
  for (const n of [16, 20, 24, 28, 32]) {
    assert.equal(isValidSha256IntegrityLength(n), true);
    assert.equal(decodeMessageIntegritySha256(Buffer.alloc(n)).length, n);
  }
  assertRejectsLengths(decodeMessageIntegritySha256, [0, 12, 17, 30, 36]);
});
