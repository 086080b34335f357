import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeAlternateDomain, decodeNonce, decodeRealm, decodeSoftware, decodeText, decodeUsername,
  encodeAlternateDomain, encodeNonce, encodeRealm, encodeSoftware, encodeText, encodeUsername,
} from './text.js';
import { assertDecodeError } from './test-util.js';

test('text attributes round trip UTF-8', () => {
  assert.equal(decodeUsername(encodeUsername('マトリックス')), 'マトリックス');
  assert.deepEqual(encodeUsername('マトリックス'), Buffer.from('e3839ee38388e383aae38383e382afe382b9', 'hex'));
  assert.equal(decodeRealm(encodeRealm('example.org')), 'example.org');
  assert.equal(decodeNonce(encodeNonce('f//499k954d6OL34oL9FSTvy64sA')), 'f//499k954d6OL34oL9FSTvy64sA');
  assert.equal(decodeSoftware(encodeSoftware('p2prc ✓')), 'p2prc ✓');
  assert.equal(decodeAlternateDomain(encodeAlternateDomain('turn.example.org')), 'turn.example.org');
  assert.equal(decodeText(encodeText('generic')), 'generic');
  assert.equal(decodeText(encodeText('x', 'realm'), 'realm'), 'x');
  assert.equal(decodeUsername(Buffer.alloc(0)), '');
});

test('length limits: USERNAME < 513 bytes; REALM/NONCE/SOFTWARE < 128 characters and <= 763 bytes', () => {
  assert.equal(decodeUsername(encodeUsername('u'.repeat(512))).length, 512);
  assert.throws(() => encodeUsername('u'.repeat(513)), RangeError);
  assertDecodeError(() => decodeUsername(Buffer.alloc(513, 0x61)), 'bad-length');
  for (const [enc, dec] of [[encodeRealm, decodeRealm], [encodeNonce, decodeNonce], [encodeSoftware, decodeSoftware]] as const) {
    assert.equal(dec(enc('r'.repeat(127))).length, 127);
    assert.equal(dec(enc('€'.repeat(127))), '€'.repeat(127)); // 381 bytes, 127 characters
    assert.throws(() => enc('r'.repeat(128)), RangeError);
    assertDecodeError(() => dec(Buffer.alloc(128, 0x61)), 'bad-length');
    assertDecodeError(() => dec(Buffer.alloc(764, 0x61)), 'bad-length');
  }
  assert.equal(decodeText(Buffer.alloc(763, 0x61)).length, 763);
  assertDecodeError(() => decodeText(Buffer.alloc(764, 0x61)), 'bad-length');
  assert.throws(() => encodeText('x'.repeat(764)), RangeError);
  assert.throws(() => encodeAlternateDomain('d'.repeat(256)), RangeError);
  assert.throws(() => encodeText(5 as unknown as string), TypeError);
});

test('malformed UTF-8 is rejected', () => {
  for (const bad of ['ff', 'c3', 'e282', 'eda080', 'c0af']) {
    assertDecodeError(() => decodeUsername(Buffer.from(bad, 'hex')), 'bad-utf8');
    assertDecodeError(() => decodeText(Buffer.from(bad, 'hex')), 'bad-utf8');
  }
  assertDecodeError(() => decodeRealm(null as unknown as Buffer), 'not-a-buffer');
});
