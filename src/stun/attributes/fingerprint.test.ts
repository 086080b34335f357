import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeFingerprint, decodeFingerprint } from './fingerprint.js';
import { crc32 } from '../crc32.js';
import { assertRejectsLengths } from './test-util.js';

test('FINGERPRINT = CRC-32 XOR 0x5354554e', () => {
  const h = Buffer.from('000100082112a442000102030405060708090a0b', 'hex');
  const b = Buffer.alloc(0);
  assert.equal(computeFingerprint(h, b), (crc32(h) ^ 0x5354554e) >>> 0);
  assert.equal(decodeFingerprint(Buffer.from('e57a3bcf', 'hex')), 0xe57a3bcf);
  assertRejectsLengths(decodeFingerprint, [0, 3, 5, 8]);
});
