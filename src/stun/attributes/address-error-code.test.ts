import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAddressErrorCode, encodeAddressErrorCode } from './address-error-code.js';
import { assertDecodeError, assertRejectsLengths } from './test-util.js';

test('ADDRESS-ERROR-CODE round trip and wire form', () => {
  assert.deepEqual(encodeAddressErrorCode('IPv6', 440, ''), Buffer.from([2, 0, 4, 40]));
  assert.deepEqual(decodeAddressErrorCode(encodeAddressErrorCode('IPv4', 508)), { family: 'IPv4', code: 508, reason: 'Insufficient Capacity' });
  assert.deepEqual(decodeAddressErrorCode(encodeAddressErrorCode('IPv6', 440, 'no v6')), { family: 'IPv6', code: 440, reason: 'no v6' });
});

test('ADDRESS-ERROR-CODE rejects bad family, code and lengths', () => {
  assertRejectsLengths(decodeAddressErrorCode, [0, 1, 3]);
  assertDecodeError(() => decodeAddressErrorCode(Buffer.from([3, 0, 4, 40])), 'bad-address-family');
  assertDecodeError(() => decodeAddressErrorCode(Buffer.from([1, 0, 1, 40])), 'bad-error-code');
  assert.throws(() => encodeAddressErrorCode('IPv5' as 'IPv4', 440), RangeError);
  assert.throws(() => encodeAddressErrorCode('IPv4', 200), RangeError);
});
