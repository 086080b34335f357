import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeAdditionalAddressFamily, decodeRequestedAddressFamily, encodeAdditionalAddressFamily, encodeRequestedAddressFamily,
} from './requested-address-family.js';
import { assertDecodeError, assertRejectsLengths } from './test-util.js';

test('REQUESTED-ADDRESS-FAMILY / ADDITIONAL-ADDRESS-FAMILY round trip', () => {
  assert.deepEqual(encodeRequestedAddressFamily('IPv4'), Buffer.from('01000000', 'hex'));
  assert.deepEqual(encodeRequestedAddressFamily('IPv6'), Buffer.from('02000000', 'hex'));
  assert.equal(decodeRequestedAddressFamily(encodeRequestedAddressFamily('IPv4')), 'IPv4');
  assert.equal(decodeRequestedAddressFamily(encodeRequestedAddressFamily('IPv6')), 'IPv6');
  assert.equal(decodeAdditionalAddressFamily(encodeAdditionalAddressFamily()), 'IPv6');
});

test('address family attributes reject bad values and lengths', () => {
  assertRejectsLengths(decodeRequestedAddressFamily, [0, 1, 3, 5]);
  assertRejectsLengths(decodeAdditionalAddressFamily, [0, 1, 3, 5]);
  assertDecodeError(() => decodeRequestedAddressFamily(Buffer.from('03000000', 'hex')), 'bad-address-family');
  assertDecodeError(() => decodeRequestedAddressFamily(Buffer.from('00000000', 'hex')), 'bad-address-family');
  assertDecodeError(() => decodeAdditionalAddressFamily(Buffer.from('01000000', 'hex')), 'bad-address-family');
  assert.throws(() => encodeRequestedAddressFamily('IPv5' as 'IPv4'), RangeError);
  assert.throws(() => encodeAdditionalAddressFamily('IPv4' as 'IPv6'), RangeError);
});
