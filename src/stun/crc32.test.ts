import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, crc32Table, hasNativeCrc32 } from './crc32.js';

test('crc32 known answers ("123456789" check value, empty input)', () => {
  const check = Buffer.from('123456789');
  assert.equal(crc32Table(check), 0xcbf43926);
  assert.equal(crc32(check), 0xcbf43926);
  assert.equal(crc32Table(Buffer.alloc(0)), 0);
  assert.equal(crc32(Buffer.alloc(0)), 0);
});

test('table and native implementations agree, including incremental use', () => {
  let seed = 7;
  for (let n = 0; n < 200; n++) {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    const whole = crc32Table(b);
    assert.equal(crc32(b), whole);
    const cut = n >> 1;
    assert.equal(crc32Table(b.subarray(cut), crc32Table(b.subarray(0, cut))), whole);
    assert.equal(crc32(b.subarray(cut), crc32(b.subarray(0, cut))), whole);
  }
  assert.equal(typeof hasNativeCrc32, 'boolean');
});
