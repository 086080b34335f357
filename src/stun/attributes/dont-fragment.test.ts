import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDontFragment, encodeDontFragment } from './dont-fragment.js';
import { assertRejectsLengths } from './test-util.js';

test('DONT-FRAGMENT is empty', () => {
  assert.deepEqual(encodeDontFragment(), Buffer.alloc(0));
  assert.equal(decodeDontFragment(Buffer.alloc(0)), true);
  assertRejectsLengths(decodeDontFragment, [1, 4]);
});
