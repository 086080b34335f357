import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeData, encodeData } from './data.js';
import { assertDecodeError } from './test-util.js';

test('DATA is the payload itself', () => {
  const p = Buffer.from('hello peer');
  assert.deepEqual(decodeData(encodeData(p)), p);
  assert.deepEqual(decodeData(encodeData(new Uint8Array([1, 2, 3]))), Buffer.from([1, 2, 3]));
  assert.deepEqual(decodeData(Buffer.alloc(0)), Buffer.alloc(0));
  assert.throws(() => encodeData(Buffer.alloc(0x10000)), RangeError);
  assertDecodeError(() => decodeData(42 as unknown as Buffer), 'not-a-buffer');
});
