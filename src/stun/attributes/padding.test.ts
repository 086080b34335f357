import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePadding, encodePadding } from './padding.js';

test('PADDING carries only a length', () => {
  assert.deepEqual(encodePadding(5), Buffer.alloc(5));
  assert.equal(decodePadding(encodePadding(1200)), 1200);
  assert.equal(decodePadding(Buffer.from('anything')), 8);
  assert.throws(() => encodePadding(0x10000), RangeError);
});
