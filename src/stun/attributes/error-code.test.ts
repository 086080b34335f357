import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeErrorCode, encodeErrorCode } from './error-code.js';
import { assertDecodeError, assertRejectsLengths } from './test-util.js';

test('ERROR-CODE round trip and wire form', () => {
  assert.deepEqual(encodeErrorCode(438, 'Stale Nonce'), Buffer.concat([Buffer.from([0, 0, 4, 38]), Buffer.from('Stale Nonce')]));
  for (const [c, r] of [[300, 'Try Alternate'], [401, 'Unauthenticated'], [420, ''], [699, 'x'], [508, 'Ünïcödé ✓']] as const) {
    assert.deepEqual(decodeErrorCode(encodeErrorCode(c, r)), { code: c, reason: r });
  }
  assert.deepEqual(decodeErrorCode(encodeErrorCode(437)), { code: 437, reason: 'Allocation Mismatch' });
  assert.deepEqual(decodeErrorCode(encodeErrorCode(599)), { code: 599, reason: '' });
  // Reserved bits are ignored.
  assert.deepEqual(decodeErrorCode(Buffer.from([0xff, 0xff, 0xfc, 1])), { code: 401, reason: '' });
  // The reason phrase is decoded leniently.
  assert.equal(decodeErrorCode(Buffer.from([0, 0, 4, 0, 0xff])).reason, '\uFFFD');
});

test('ERROR-CODE rejects bad class/number/lengths', () => {
  assertRejectsLengths(decodeErrorCode, [0, 1, 2, 3]);
  assertDecodeError(() => decodeErrorCode(Buffer.from([0, 0, 2, 0])), 'bad-error-code');
  assertDecodeError(() => decodeErrorCode(Buffer.from([0, 0, 7, 0])), 'bad-error-code');
  assertDecodeError(() => decodeErrorCode(Buffer.from([0, 0, 4, 100])), 'bad-error-code');
  assertDecodeError(() => decodeErrorCode(Buffer.concat([Buffer.from([0, 0, 4, 0]), Buffer.alloc(764, 0x61)])), 'bad-length');
  assert.throws(() => encodeErrorCode(299, 'x'), RangeError);
  assert.throws(() => encodeErrorCode(700, 'x'), RangeError);
  assert.throws(() => encodeErrorCode(400.5, 'x'), RangeError);
  assert.throws(() => encodeErrorCode(400, 'x'.repeat(128)), RangeError);
  assert.equal(decodeErrorCode(encodeErrorCode(400, 'x'.repeat(127))).reason.length, 127);
});
