import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from './token-bucket.js';

test('token bucket: a burst goes at once, then the debt is paid at the rate', () => {
  const b = new TokenBucket(1000, 500, 0);
  assert.equal(b.take(500, 0), 0);
  // 250 bytes of debt at 1000 B/s: 250 ms.
  assert.equal(b.take(250, 0), 250);
  // 250 ms later the debt is paid; 100 more bytes put it 100 in debt again.
  assert.equal(b.take(100, 250), 100);
  // A long idle spell refills only up to the burst.
  assert.equal(b.take(500, 10_000), 0);
  assert.ok(b.take(1, 10_000) > 0);
});

test('token bucket: over a long run the average rate is the set rate', () => {
  const b = new TokenBucket(1_000_000, 65_536, 0);
  let now = 0;
  let sent = 0;
  while (now < 10_000) {
    sent += 16_384;
    now += b.take(16_384, now);
  }
  const rate = sent / (now / 1000);
  assert.ok(rate > 0.98e6 && rate < 1.02e6, `rate ${rate}`);
});

test('token bucket: a rate of zero is refused', () => {
  assert.throws(() => new TokenBucket(0));
});
