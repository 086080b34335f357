import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from './rate-limit.js';
import { Registry } from './registry.js';

describe('token bucket', () => {
  it('allows the burst, then the rate', () => {
    let t = 0;
    const b = new TokenBucket(10, 5, () => t);
    for (let i = 0; i < 5; i++) assert.ok(b.take());
    assert.ok(!b.take());
    t += 100; // 0.1 s at 10/s = 1 token
    assert.ok(b.take());
    assert.ok(!b.take());
  });
});

describe('registry', () => {
  it('keeps names unique per key and lets only the current connection remove a peer', () => {
    const r = new Registry();
    const conn1 = {};
    const conn2 = {};
    const alice = { peerId: 'a'.repeat(40), name: 'alice', publicKey: 'k' };
    r.add(alice, conn1);
    assert.equal(r.nameHolder('alice', 'b'.repeat(40))?.peerId, alice.peerId);
    assert.equal(r.nameHolder('alice', alice.peerId), undefined);
    r.add(alice, conn2); // reconnect
    assert.equal(r.remove(alice.peerId, conn1), undefined);
    assert.equal(r.size, 1);
    assert.equal(r.remove(alice.peerId, conn2)?.name, 'alice');
    assert.equal(r.idForName('alice'), undefined);
  });
});
