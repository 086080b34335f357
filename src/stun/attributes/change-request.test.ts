import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeChangeRequest, encodeChangeRequest } from './change-request.js';
import { assertRejectsLengths } from './test-util.js';

test('CHANGE-REQUEST flags', () => {
  assert.deepEqual(encodeChangeRequest({ changeIp: true, changePort: true }), Buffer.from('00000006', 'hex'));
  assert.deepEqual(encodeChangeRequest({ changeIp: true, changePort: false }), Buffer.from('00000004', 'hex'));
  assert.deepEqual(encodeChangeRequest({ changeIp: false, changePort: true }), Buffer.from('00000002', 'hex'));
  for (const changeIp of [false, true]) for (const changePort of [false, true]) {
    assert.deepEqual(decodeChangeRequest(encodeChangeRequest({ changeIp, changePort })), { changeIp, changePort });
  }
  assert.deepEqual(decodeChangeRequest(Buffer.from('fffffff9', 'hex')), { changeIp: false, changePort: false }); // other bits ignored
});

test('CHANGE-REQUEST rejects bad lengths', () => {
  assertRejectsLengths(decodeChangeRequest, [0, 1, 3, 5, 8]);
});
