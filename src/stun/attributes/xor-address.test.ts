import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeXorAddress, encodeXorAddress, type TransportAddress } from './xor-address.js';
import { encodeAddress } from './address.js';
import { assertDecodeError } from './test-util.js';

const tid = Buffer.from('b7e7a701bc34d686fa87dfae', 'hex');

test('XOR address round trips and matches RFC 5769 values', () => {
  assert.deepEqual(encodeXorAddress({ family: 'IPv4', address: '192.0.2.1', port: 32853 }, tid), Buffer.from('0001a147e112a643', 'hex'));
  assert.deepEqual(
    encodeXorAddress({ family: 'IPv6', address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 }, tid),
    Buffer.from('0002a1470113a9faa5d3f179bc25f4b5bed2b9d9', 'hex'),
  );
  const cases: TransportAddress[] = [
    { family: 'IPv4', address: '203.0.113.7', port: 1 },
    { family: 'IPv4', address: '255.255.255.255', port: 65535 },
    { family: 'IPv6', address: '::', port: 0 },
    { family: 'IPv6', address: 'fe80::1:2:3:4', port: 7 },
  ];
  for (const a of cases) {
    const v = encodeXorAddress(a, tid);
    assert.notDeepEqual(v, encodeAddress(a));
    assert.deepEqual(decodeXorAddress(v, tid), a);
  }
  // The IPv6 form depends on the transaction ID, the IPv4 form does not.
  const other = Buffer.alloc(12, 9);
  assert.deepEqual(encodeXorAddress(cases[0]!, other), encodeXorAddress(cases[0]!, tid));
  assert.notDeepEqual(encodeXorAddress(cases[3]!, other), encodeXorAddress(cases[3]!, tid));
  assert.notDeepEqual(decodeXorAddress(encodeXorAddress(cases[3]!, tid), other), cases[3]);
});

test('decodeXorAddress rejects bad family, lengths and transaction IDs', () => {
  assertDecodeError(() => decodeXorAddress(Buffer.from('0003a147e112a643', 'hex'), tid), 'bad-address-family');
  assertDecodeError(() => decodeXorAddress(Buffer.from('0001a147e112a6', 'hex'), tid), 'bad-length');
  assertDecodeError(() => decodeXorAddress(Buffer.from('0001a147e112a64300', 'hex'), tid), 'bad-length');
  assertDecodeError(() => decodeXorAddress(Buffer.from('0002a147e112a643', 'hex'), tid), 'bad-length');
  assertDecodeError(() => decodeXorAddress(Buffer.alloc(3), tid), 'bad-length');
  assertDecodeError(() => decodeXorAddress(Buffer.from('0001a147e112a643', 'hex'), Buffer.alloc(11)), 'bad-transaction-id');
  assert.throws(() => encodeXorAddress({ family: 'IPv4', address: '1.2.3.4', port: 1 }, Buffer.alloc(16)), RangeError);
  assert.throws(() => encodeXorAddress({ family: 'IPv6', address: '1.2.3.4', port: 1 }, tid), RangeError);
});
