import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PasswordAlgorithmId, decodePasswordAlgorithm, decodePasswordAlgorithms, encodePasswordAlgorithm, encodePasswordAlgorithms,
} from './password-algorithm.js';
import { assertDecodeError } from './test-util.js';

test('PASSWORD-ALGORITHM(S) round trip', () => {
  const md5 = { algorithm: PasswordAlgorithmId.MD5, parameters: Buffer.alloc(0) };
  const sha = { algorithm: PasswordAlgorithmId.SHA256, parameters: Buffer.alloc(0) };
  const withParams = { algorithm: 0x1234, parameters: Buffer.from([1, 2, 3, 4, 5]) };
  assert.deepEqual(encodePasswordAlgorithm(sha), Buffer.from('00020000', 'hex'));
  assert.deepEqual(decodePasswordAlgorithm(encodePasswordAlgorithm(md5)), md5);
  assert.deepEqual(decodePasswordAlgorithm(encodePasswordAlgorithm(withParams)), withParams);
  assert.equal(encodePasswordAlgorithm(withParams).length, 12);
  assert.deepEqual(encodePasswordAlgorithms([md5, sha]), Buffer.from('0001000000020000', 'hex'));
  assert.deepEqual(decodePasswordAlgorithms(encodePasswordAlgorithms([md5, withParams, sha])), [md5, withParams, sha]);
  assert.deepEqual(decodePasswordAlgorithms(Buffer.alloc(0)), []);
  // Unpadded parameters at the very end are accepted.
  assert.deepEqual(decodePasswordAlgorithms(Buffer.from('12340001ff', 'hex')), [{ algorithm: 0x1234, parameters: Buffer.from([0xff]) }]);
});

test('PASSWORD-ALGORITHM(S) reject truncated entries', () => {
  assertDecodeError(() => decodePasswordAlgorithm(Buffer.from('0001', 'hex')), 'bad-length');
  assertDecodeError(() => decodePasswordAlgorithm(Buffer.from('00010004aa', 'hex')), 'bad-length');
  assertDecodeError(() => decodePasswordAlgorithm(Buffer.from('0001000000020000', 'hex')), 'bad-length');
  assertDecodeError(() => decodePasswordAlgorithms(Buffer.from('000100000002', 'hex')), 'bad-length');
  assert.throws(() => encodePasswordAlgorithm({ algorithm: 0x10000, parameters: Buffer.alloc(0) }), RangeError);
});
