import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { computeUserhash, decodeUserhash, encodeUserhash } from './userhash.js';
import { assertRejectsLengths } from './test-util.js';

test('USERHASH is SHA-256(username:realm), 32 bytes', () => {
  const h = computeUserhash('user', 'example.org');
  assert.deepEqual(h, createHash('sha256').update('user:example.org').digest());
  assert.deepEqual(decodeUserhash(encodeUserhash(h)), h);
  assertRejectsLengths(decodeUserhash, [0, 16, 31, 33]);
  assert.throws(() => encodeUserhash(Buffer.alloc(20)), RangeError);
});
