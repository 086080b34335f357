/** RFC 5769 test vectors (see rfc5769-vectors.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Attr, Method, StunClass } from './constants.js';
import { decodeMessage, encodeMessage, getAttribute, isStunMessage, longTermKey, verifyFingerprint, verifyMessageIntegrity } from './message.js';
import { decodeXorAddress, encodeXorAddress } from './attributes/xor-address.js';
import { decodeNonce, decodeRealm, decodeSoftware, decodeUsername } from './attributes/text.js';
import { decodePriority, decodeIceControlled } from './attributes/ice.js';
import { saslprep } from './saslprep.js';
import {
  RFC5769_IPV4_RESPONSE,
  RFC5769_IPV6_RESPONSE,
  RFC5769_LONG_TERM,
  RFC5769_LONG_TERM_REQUEST,
  RFC5769_REQUEST,
  RFC5769_SHORT_TERM_PASSWORD,
  RFC5769_TRANSACTION_ID,
} from './rfc5769-vectors.js';

const SHORT_KEY = Buffer.from(RFC5769_SHORT_TERM_PASSWORD, 'utf8');

test('§2.1 sample request decodes, verifies, and re-encodes byte for byte', () => {
  assert.equal(RFC5769_REQUEST.length, 108);
  assert.equal(isStunMessage(RFC5769_REQUEST), true);
  const m = decodeMessage(RFC5769_REQUEST);
  assert.equal(m.cls, StunClass.Request);
  assert.equal(m.method, Method.Binding);
  assert.deepEqual(m.transactionId, RFC5769_TRANSACTION_ID);
  assert.deepEqual(
    m.attributes.map((a) => a.type),
    [Attr.Software, Attr.Priority, Attr.IceControlled, Attr.Username, Attr.MessageIntegrity, Attr.Fingerprint],
  );
  assert.equal(decodeSoftware(getAttribute(m, Attr.Software)!), 'STUN test client');
  assert.equal(decodeUsername(getAttribute(m, Attr.Username)!), 'evtj:h6vY');
  assert.equal(decodePriority(getAttribute(m, Attr.Priority)!), 0x6e0001ff);
  assert.equal(decodeIceControlled(getAttribute(m, Attr.IceControlled)!), 0x932ff9b151263b36n);
  assert.equal(verifyMessageIntegrity(RFC5769_REQUEST, SHORT_KEY), true);
  assert.equal(verifyMessageIntegrity(RFC5769_REQUEST, Buffer.from('VOkJxbRl1RmTxUk/WvJxBu')), false);
  assert.equal(verifyFingerprint(RFC5769_REQUEST), true);
  // The RFC pads USERNAME with 0x20 bytes, so the same padding reproduces it exactly.
  assert.deepEqual(encodeMessage(m, { integrityKey: SHORT_KEY, fingerprint: true, paddingByte: 0x20 }), RFC5769_REQUEST);
  // With the default zero padding the bytes differ, but the result is valid too.
  const zeroPadded = encodeMessage(m, { integrityKey: SHORT_KEY, fingerprint: true });
  assert.notDeepEqual(zeroPadded, RFC5769_REQUEST);
  assert.equal(verifyMessageIntegrity(zeroPadded, SHORT_KEY), true);
  assert.equal(verifyFingerprint(zeroPadded), true);
  const strip = (x: typeof m) => x.attributes.filter((a) => a.type !== Attr.MessageIntegrity && a.type !== Attr.Fingerprint);
  assert.deepEqual(strip(decodeMessage(zeroPadded)), strip(m));
});

test('§2.2 IPv4 response: XOR-MAPPED-ADDRESS 192.0.2.1:32853', () => {
  const m = decodeMessage(RFC5769_IPV4_RESPONSE);
  assert.equal(m.cls, StunClass.SuccessResponse);
  assert.equal(m.method, Method.Binding);
  assert.equal(decodeSoftware(getAttribute(m, Attr.Software)!), 'test vector');
  const xma = getAttribute(m, Attr.XorMappedAddress)!;
  assert.deepEqual(decodeXorAddress(xma, m.transactionId), { family: 'IPv4', address: '192.0.2.1', port: 32853 });
  assert.deepEqual(encodeXorAddress({ family: 'IPv4', address: '192.0.2.1', port: 32853 }, RFC5769_TRANSACTION_ID), xma);
  assert.equal(verifyMessageIntegrity(RFC5769_IPV4_RESPONSE, SHORT_KEY), true);
  assert.equal(verifyFingerprint(RFC5769_IPV4_RESPONSE), true);
  assert.deepEqual(encodeMessage(m, { integrityKey: SHORT_KEY, fingerprint: true, paddingByte: 0x20 }), RFC5769_IPV4_RESPONSE);
});

test('§2.3 IPv6 response: XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853', () => {
  const m = decodeMessage(RFC5769_IPV6_RESPONSE);
  assert.equal(m.cls, StunClass.SuccessResponse);
  const addr = { family: 'IPv6', address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 } as const;
  const xma = getAttribute(m, Attr.XorMappedAddress)!;
  assert.deepEqual(decodeXorAddress(xma, m.transactionId), addr);
  assert.deepEqual(encodeXorAddress(addr, RFC5769_TRANSACTION_ID), xma);
  assert.equal(verifyMessageIntegrity(RFC5769_IPV6_RESPONSE, SHORT_KEY), true);
  assert.equal(verifyFingerprint(RFC5769_IPV6_RESPONSE), true);
  assert.deepEqual(encodeMessage(m, { integrityKey: SHORT_KEY, fingerprint: true, paddingByte: 0x20 }), RFC5769_IPV6_RESPONSE);
});

test('§2.4 long-term credentials request verifies with longTermKey and re-encodes exactly', () => {
  const L = RFC5769_LONG_TERM;
  const m = decodeMessage(RFC5769_LONG_TERM_REQUEST);
  assert.equal(m.cls, StunClass.Request);
  assert.equal(m.method, Method.Binding);
  assert.deepEqual(m.transactionId, L.transactionId);
  assert.equal(decodeUsername(getAttribute(m, Attr.Username)!), L.username);
  assert.equal(decodeUsername(getAttribute(m, Attr.Username)!), 'マトリックス');
  assert.equal(decodeNonce(getAttribute(m, Attr.Nonce)!), L.nonce);
  assert.equal(decodeRealm(getAttribute(m, Attr.Realm)!), L.realm);
  assert.equal(getAttribute(m, Attr.Fingerprint), undefined);
  assert.equal(verifyFingerprint(RFC5769_LONG_TERM_REQUEST), false);

  const key = longTermKey(L.username, L.realm, L.password);
  assert.equal(verifyMessageIntegrity(RFC5769_LONG_TERM_REQUEST, key), true);
  // The RFC's password is given before SASLprep; saslprep() yields the same key.
  assert.equal(saslprep(L.passwordBeforeSaslprep), L.password);
  assert.deepEqual(longTermKey(saslprep(L.username), L.realm, saslprep(L.passwordBeforeSaslprep)), key);
  // The raw attribute bytes give the same key.
  assert.deepEqual(longTermKey(getAttribute(m, Attr.Username)!, getAttribute(m, Attr.Realm)!, L.password), key);
  assert.equal(verifyMessageIntegrity(RFC5769_LONG_TERM_REQUEST, longTermKey(L.username, L.realm, 'thematrix')), false);
  assert.deepEqual(encodeMessage(m, { integrityKey: key }), RFC5769_LONG_TERM_REQUEST);
});

test('a single flipped bit anywhere is caught by MESSAGE-INTEGRITY or FINGERPRINT', () => {
  for (const v of [RFC5769_REQUEST, RFC5769_IPV4_RESPONSE, RFC5769_IPV6_RESPONSE]) {
    for (let i = 0; i < v.length * 8; i++) {
      const b = Buffer.from(v);
      b[i >> 3] = b[i >> 3]! ^ (1 << (i & 7));
      assert.ok(!(verifyMessageIntegrity(b, SHORT_KEY) && verifyFingerprint(b)), `flip of bit ${i} went unnoticed`);
    }
  }
});
