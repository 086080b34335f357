import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAddress, encodeAddress, type TransportAddress } from './address.js';
import { assertDecodeError, assertRejectsLengths } from './test-util.js';

test('MAPPED-ADDRESS style round trip, IPv4 and IPv6', () => {
  const cases: TransportAddress[] = [
    { family: 'IPv4', address: '192.0.2.1', port: 32853 },
    { family: 'IPv4', address: '0.0.0.0', port: 0 },
    { family: 'IPv6', address: '2001:db8::1', port: 65535 },
    { family: 'IPv6', address: '::ffff:10.0.0.1', port: 3478 },
  ];
  for (const a of cases) assert.deepEqual(decodeAddress(encodeAddress(a)), a);
  assert.deepEqual(encodeAddress({ family: 'IPv4', address: '192.0.2.1', port: 32853 }), Buffer.from('00018055c0000201', 'hex'));
  assert.equal(encodeAddress(cases[2]!).length, 20);
  // The reserved first byte is ignored on receipt.
  assert.deepEqual(decodeAddress(Buffer.from('ff018055c0000201', 'hex')), { family: 'IPv4', address: '192.0.2.1', port: 32853 });
});

test('decodeAddress rejects bad family and lengths', () => {
  assertDecodeError(() => decodeAddress(Buffer.from('00038055c0000201', 'hex')), 'bad-address-family');
  assertDecodeError(() => decodeAddress(Buffer.from('00008055c0000201', 'hex')), 'bad-address-family');
  assertDecodeError(() => decodeAddress(Buffer.from('00018055c00002', 'hex')), 'bad-length');
  assertDecodeError(() => decodeAddress(Buffer.from('00028055c0000201', 'hex')), 'bad-length'); // IPv6 family, IPv4 size
  const v6 = encodeAddress({ family: 'IPv6', address: '::1', port: 1 });
  v6[1] = 1;
  assertDecodeError(() => decodeAddress(v6), 'bad-length'); // IPv4 family, IPv6 size
  assertRejectsLengths((v) => decodeAddress(Buffer.concat([Buffer.from([0, 1]), v])), [0, 1, 2, 3, 5, 7, 18]);
  assertDecodeError(() => decodeAddress(undefined as unknown as Buffer), 'not-a-buffer');
});

test('encodeAddress rejects bad input', () => {
  assert.throws(() => encodeAddress({ family: 'IPv4', address: '::1', port: 1 }), RangeError);
  assert.throws(() => encodeAddress({ family: 'IPv6', address: '1.2.3.4', port: 1 }), RangeError);
  assert.throws(() => encodeAddress({ family: 'IPv4', address: 'example.com', port: 1 }), RangeError);
  assert.throws(() => encodeAddress({ family: 'IPv4', address: '1.2.3.4', port: 65536 }), RangeError);
  assert.throws(() => encodeAddress({ family: 'IPv4', address: '1.2.3.4', port: -1 }), RangeError);
});
