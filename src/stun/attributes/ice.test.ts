import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeIceControlled, decodeIceControlling, decodePriority, decodeUseCandidate,
  encodeIceControlled, encodeIceControlling, encodePriority, encodeUseCandidate,
} from './ice.js';
import { assertRejectsLengths } from './test-util.js';

test('PRIORITY, USE-CANDIDATE, ICE-CONTROLLED/CONTROLLING round trip', () => {
  assert.deepEqual(encodePriority(0x6e0001ff), Buffer.from('6e0001ff', 'hex'));
  assert.equal(decodePriority(encodePriority(0xffffffff)), 0xffffffff);
  assert.deepEqual(encodeUseCandidate(), Buffer.alloc(0));
  assert.equal(decodeUseCandidate(Buffer.alloc(0)), true);
  assert.deepEqual(encodeIceControlled(0x932ff9b151263b36n), Buffer.from('932ff9b151263b36', 'hex'));
  for (const t of [0n, 1n, 0xffffffffffffffffn]) {
    assert.equal(decodeIceControlled(encodeIceControlled(t)), t);
    assert.equal(decodeIceControlling(encodeIceControlling(t)), t);
  }
});

test('ICE attributes reject bad lengths and values', () => {
  assertRejectsLengths(decodePriority, [0, 3, 5, 8]);
  assertRejectsLengths(decodeUseCandidate, [1, 4]);
  assertRejectsLengths(decodeIceControlled, [0, 4, 7, 9, 16]);
  assertRejectsLengths(decodeIceControlling, [0, 4, 7, 9, 16]);
  assert.throws(() => encodePriority(-1), RangeError);
  assert.throws(() => encodeIceControlled(-1n), RangeError);
  assert.throws(() => encodeIceControlling(1n << 64n), RangeError);
  assert.throws(() => encodeIceControlling(5 as unknown as bigint), RangeError);
});
