import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeConnectionId, encodeConnectionId } from './connection-id.js';
import { assertRejectsLengths } from './test-util.js';

test('CONNECTION-ID round trip and lengths', () => {
  assert.deepEqual(encodeConnectionId(0x01020304), Buffer.from('01020304', 'hex'));
  assert.equal(decodeConnectionId(encodeConnectionId(0xffffffff)), 0xffffffff);
  assertRejectsLengths(decodeConnectionId, [0, 3, 5]);
  assert.throws(() => encodeConnectionId(-1), RangeError);
});
