import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamSlots } from './stream-slots.js';

test('stream slots: up to max at once, then first come first served, cancelled waiters skipped, a full queue refused', async () => {
  const s = new StreamSlots(2, 2);
  assert.equal(s.acquire(), true);
  assert.equal(s.acquire(), true);
  const a = s.acquire();
  const b = s.acquire();
  assert.ok(a && a !== true && b && b !== true);
  assert.equal(s.acquire(), undefined, 'the queue holds 2');
  const order: string[] = [];
  void a.ready.then((ok) => order.push(`a:${ok}`));
  void b.ready.then((ok) => order.push(`b:${ok}`));
  a.cancel();
  assert.equal(s.queued, 1);
  s.release(); // skips a (cancelled), grants b
  await Promise.resolve();
  await Promise.resolve();
  assert.deepEqual(order, ['a:false', 'b:true']);
  assert.equal(s.inUse, 2);
  s.release();
  s.release();
  assert.equal(s.inUse, 0);
  assert.equal(s.acquire(), true);
});
