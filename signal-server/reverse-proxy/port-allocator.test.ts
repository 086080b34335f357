import { test } from 'node:test';
import assert from 'node:assert/strict';
import { P2prcError } from '../../src/protocol/errors.js';
import { PortAllocator, UNBINDABLE_MS, parseAllowPorts } from './port-allocator.js';

const alice = { peerId: 'A'.repeat(43), service: 'web' };
const bob = { peerId: 'B'.repeat(43), service: 'web' };

test('allow-ports: ranges and single ports parse; bad ones are refused with bad-argument', () => {
  assert.deepEqual(parseAllowPorts('20000-20010,30080'), [{ min: 20000, max: 20010 }, { min: 30080, max: 30080 }]);
  for (const bad of ['', '0-10', '10-5', '70000', 'a-b', '1-2-3']) assert.throws(() => parseAllowPorts(bad), (e: P2prcError) => e.code === 'bad-argument', bad);
});

test('a requested port is honoured when free and refused with port-unavailable when held, outside the ranges, or unbindable', () => {
  const a = new PortAllocator(parseAllowPorts('30000-30010'));
  assert.equal(a.propose(alice, 'tcp', 30005, 0), 30005);
  a.hold(alice, 'tcp', 30005);
  const taken = a.propose(bob, 'tcp', 30005, 0);
  assert.ok(taken instanceof P2prcError && taken.code === 'port-unavailable' && /taken/.test(taken.message));
  // UDP is another space.
  assert.equal(a.propose(bob, 'udp', 30005, 0), 30005);
  const outside = a.propose(bob, 'tcp', 40000, 0);
  assert.ok(outside instanceof P2prcError && /outside/.test(outside.message) && /30000-30010/.test(outside.message));
  a.unbindable('tcp', 30006, 0);
  const busy = a.propose(bob, 'tcp', 30006, 1);
  assert.ok(busy instanceof P2prcError && /in use/.test(busy.message));
  assert.equal(a.propose(bob, 'tcp', 30006, UNBINDABLE_MS + 1), 30006);
});

test('any free port: never a held or unbindable one; the last one found by the scan; none left is an error', () => {
  const a = new PortAllocator(parseAllowPorts('30000-30003'), 10, new Map(), () => 0);
  const peers = [0, 1, 2].map((i) => ({ peerId: String(i).repeat(43), service: 's' }));
  for (const p of peers) {
    const port = a.propose(p, 'tcp', undefined, 0);
    assert.equal(typeof port, 'number');
    a.hold(p, 'tcp', port as number);
  }
  a.unbindable('tcp', 30003, 0);
  const none = a.propose({ peerId: 'Z'.repeat(43), service: 's' }, 'tcp', 0, 1);
  assert.ok(none instanceof P2prcError && /no free tcp port/.test(none.message));
  a.release(peers[1]!, 'tcp');
  assert.equal(a.propose({ peerId: 'Z'.repeat(43), service: 's' }, 'tcp', undefined, 1), 30001);
});

test('a returning peer gets its old port back when still free; random picks leave it alone', () => {
  const a = new PortAllocator(parseAllowPorts('30000-30001'), 10, new Map(), () => 0);
  a.hold(alice, 'tcp', 30000);
  a.release(alice, 'tcp');
  // Bob's random pick (always index 0) does not take Alice's sticky port while another is free.
  assert.equal(a.propose(bob, 'tcp', undefined, 0), 30001);
  a.hold(bob, 'tcp', 30001);
  assert.equal(a.propose(alice, 'tcp', undefined, 0), 30000);
  // Kept across a restart: a new allocator with the sticky entries.
  const b = new PortAllocator(parseAllowPorts('30000-30009'), 10, new Map(a.stickyEntries()), () => 0.5);
  assert.equal(b.propose(bob, 'tcp', 0, 0), 30001);
});

test('--max-ports-per-peer: a peer past its quota is refused; its held ports can be proposed again', () => {
  const a = new PortAllocator(parseAllowPorts('30000-30100'), 2);
  for (const service of ['a', 'b']) a.hold({ peerId: alice.peerId, service }, 'tcp', a.propose({ peerId: alice.peerId, service }, 'tcp', undefined, 0) as number);
  const third = a.propose({ peerId: alice.peerId, service: 'c' }, 'udp', undefined, 0);
  assert.ok(third instanceof P2prcError && /already holds 2/.test(third.message));
  assert.equal(typeof a.propose({ peerId: alice.peerId, service: 'a' }, 'tcp', undefined, 0), 'number');
  assert.equal(a.countFor(alice.peerId), 2);
});
