/**
 * The allocation state machine driven directly, with the clock passed in (as
 * pion/turn's allocation and channel_bind tests do): lifetimes of
 * allocations, permissions and channels, the RFC 8656 §12 rebinding rules,
 * quotas, the lookup indexes and the events.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Allocation,
  AllocationTable,
  CHANNEL_COOLDOWN_S,
  CHANNEL_LIFETIME_S,
  DEFAULT_LIFETIME_S,
  PERMISSION_LIFETIME_S,
  DEFAULT_MAX_ALLOCATIONS_PER_IP,
  allocKey,
  defaultPerIpQuota,
  type Endpoint,
} from './allocation.js';

const T0 = 1_700_000_000_000;
const S = 1000;
const PEER: Endpoint = { address: '198.51.100.7', port: 5000 };
const OTHER_PEER: Endpoint = { address: '198.51.100.8', port: 5000 };

let relayPort = 50000;
function alloc(o: { client?: Endpoint; user?: string; username?: string; now?: number; lifetimeS?: number } = {}): Allocation<string> {
  const client = o.client ?? { address: '203.0.113.1', port: 40000 };
  return new Allocation<string>({
    key: allocKey(client),
    client,
    username: o.username ?? `9999999999:${o.user ?? 'alice'}`,
    user: o.user ?? 'alice',
    relay: { address: '192.0.2.1', port: relayPort++ },
    handle: 'socket',
    now: o.now ?? T0,
    lifetimeS: o.lifetimeS ?? DEFAULT_LIFETIME_S,
    transactionId: '00'.repeat(12),
  });
}

test('allocKey: the one form of an allocation key, from the client 5-tuple', () => {
  assert.equal(allocKey({ address: '203.0.113.1', port: 40000 }), 'udp|203.0.113.1|40000');
  assert.equal(alloc().key, 'udp|203.0.113.1|40000');
});

test('allocation lifetime: expires at now + lifetime, refresh moves it (shorter too)', () => {
  const a = alloc({ lifetimeS: 600 });
  assert.equal(a.expiresAt, T0 + 600 * S);
  const t = new AllocationTable<string>({ perUser: 10, total: 10 });
  t.add(a);
  assert.deepEqual(t.expired(T0 + 600 * S - 1), []);
  assert.deepEqual(t.expired(T0 + 600 * S), [a]); // expired exactly at expiresAt
  a.refresh(T0 + 500 * S, 60);
  assert.equal(a.expiresAt, T0 + 560 * S);
  assert.deepEqual(t.expired(T0 + 559 * S), []);
  assert.deepEqual(t.expired(T0 + 560 * S), [a]);
});

test('permissions: per IP (any port), 300 s, refreshed by a new CreatePermission, dropped by sweep', () => {
  const a = alloc();
  assert.equal(a.hasPermission(PEER.address, T0), false);
  a.addPermission(PEER.address, T0);
  assert.equal(a.hasPermission(PEER.address, T0), true);
  assert.equal(a.hasPermission(OTHER_PEER.address, T0), false);
  assert.equal(a.hasPermission(PEER.address, T0 + PERMISSION_LIFETIME_S * S - 1), true);
  assert.equal(a.hasPermission(PEER.address, T0 + PERMISSION_LIFETIME_S * S), false);
  a.addPermission(PEER.address, T0 + 200 * S); // refresh before it lapses
  assert.equal(a.hasPermission(PEER.address, T0 + 499 * S), true);
  assert.equal(a.hasPermission(PEER.address, T0 + 500 * S), false);
  a.sweep(T0 + 499 * S);
  assert.equal(a.permissions.size, 1);
  a.sweep(T0 + 500 * S);
  assert.equal(a.permissions.size, 0);
});

test('channel binding: peer both ways, installs the permission, lasts 600 s, refreshable', () => {
  const a = alloc();
  assert.deepEqual(a.bindChannel(0x4000, PEER, T0), { ok: true });
  assert.deepEqual(a.peerFor(0x4000, T0), PEER);
  assert.equal(a.channelFor(PEER, T0), 0x4000);
  assert.equal(a.channelFor({ ...PEER, port: 5001 }, T0), undefined); // channels are per transport address
  assert.equal(a.peerFor(0x4001, T0), undefined);
  assert.equal(a.hasPermission(PEER.address, T0), true); // §12.2
  const end = T0 + CHANNEL_LIFETIME_S * S;
  assert.deepEqual(a.peerFor(0x4000, end - 1), PEER);
  assert.equal(a.peerFor(0x4000, end), undefined);
  assert.equal(a.channelFor(PEER, end), undefined);
  // Refreshing the same binding (same number, same peer) is allowed and extends both.
  assert.deepEqual(a.bindChannel(0x4000, PEER, T0 + 500 * S), { ok: true });
  assert.deepEqual(a.peerFor(0x4000, end), PEER);
  assert.equal(a.hasPermission(PEER.address, T0 + 500 * S + PERMISSION_LIFETIME_S * S - 1), true);
});

test('RFC 8656 §12: a number bound to one peer and a peer bound to one number, while bound', () => {
  const a = alloc();
  assert.deepEqual(a.bindChannel(0x4000, PEER, T0), { ok: true });
  const r1 = a.bindChannel(0x4000, OTHER_PEER, T0);
  assert.equal(r1.ok, false);
  assert.match(!r1.ok ? r1.reason : '', /channel 0x4000 is bound to another peer/);
  const r2 = a.bindChannel(0x4001, PEER, T0);
  assert.equal(r2.ok, false);
  assert.match(!r2.ok ? r2.reason : '', /peer is bound to channel 0x4000/);
  // Another number for another peer is fine.
  assert.deepEqual(a.bindChannel(0x4001, OTHER_PEER, T0), { ok: true });
  assert.deepEqual(a.peerFor(0x4001, T0), OTHER_PEER);
  assert.deepEqual(a.peerFor(0x4000, T0), PEER);
});

test('RFC 8656 §12: after expiry, number and peer stay reserved for the cool-down, then are free', () => {
  const a = alloc();
  a.bindChannel(0x4000, PEER, T0);
  const expired = T0 + CHANNEL_LIFETIME_S * S;
  const free = expired + CHANNEL_COOLDOWN_S * S;
  a.sweep(expired);
  assert.equal(a.peerFor(0x4000, expired), undefined); // no longer usable for data
  assert.equal(a.bindChannel(0x4000, OTHER_PEER, expired).ok, false); // but not rebindable elsewhere
  assert.equal(a.bindChannel(0x4001, PEER, expired).ok, false);
  a.sweep(free - 1);
  assert.equal(a.channels.size, 1);
  assert.equal(a.bindChannel(0x4000, OTHER_PEER, free - 1).ok, false);
  a.sweep(free);
  assert.equal(a.channels.size, 0);
  assert.equal(a.channelByPeer.size, 0);
  assert.deepEqual(a.bindChannel(0x4000, OTHER_PEER, free), { ok: true });
  assert.deepEqual(a.bindChannel(0x4001, PEER, free), { ok: true });
  assert.equal(a.channelFor(PEER, free), 0x4001);
  assert.equal(a.channelFor(OTHER_PEER, free), 0x4000);
});

test('channelFor follows refreshes, expiry and rebinding of the binding it last found', () => {
  const a = alloc();
  a.bindChannel(0x4000, PEER, T0);
  assert.equal(a.channelFor(PEER, T0), 0x4000);
  assert.equal(a.channelFor(PEER, T0 + 1), 0x4000); // the same binding again
  const end = T0 + CHANNEL_LIFETIME_S * S;
  assert.equal(a.channelFor(PEER, end), undefined);
  a.bindChannel(0x4000, PEER, end); // refreshed: live again
  assert.equal(a.channelFor(PEER, end), 0x4000);
  // Expired, swept after the cool-down, and the peer bound to another number.
  const later = end + (CHANNEL_LIFETIME_S + CHANNEL_COOLDOWN_S) * S;
  a.sweep(later);
  assert.equal(a.channelFor(PEER, later), undefined);
  a.bindChannel(0x4002, PEER, later);
  a.bindChannel(0x4000, OTHER_PEER, later);
  assert.equal(a.channelFor(PEER, later), 0x4002);
  assert.equal(a.channelFor(OTHER_PEER, later), 0x4000);
  assert.equal(a.channelFor(PEER, later), 0x4002);
});

test('RFC 8656 §12: the same binding can be renewed during its cool-down', () => {
  const a = alloc();
  a.bindChannel(0x4000, PEER, T0);
  const expired = T0 + CHANNEL_LIFETIME_S * S + 1;
  assert.deepEqual(a.bindChannel(0x4000, PEER, expired), { ok: true });
  assert.deepEqual(a.peerFor(0x4000, expired), PEER);
});

test('quotas: the total and per-user limits, exact edges; freeing gives the room back', () => {
  const t = new AllocationTable<string>({ perUser: 2, total: 3 });
  const a1 = alloc({ user: 'alice', client: { address: '203.0.113.1', port: 1 } });
  const a2 = alloc({ user: 'alice', client: { address: '203.0.113.1', port: 2 } });
  assert.equal(t.quotaProblem('alice'), undefined);
  t.add(a1);
  assert.equal(t.quotaProblem('alice'), undefined);
  t.add(a2);
  // alice is at her quota (486 for a third), bob is not.
  assert.match(t.quotaProblem('alice') ?? '', /per-user allocation quota \(2\) reached for alice/);
  assert.equal(t.quotaProblem('bob'), undefined);
  const b1 = alloc({ user: 'bob', client: { address: '203.0.113.2', port: 1 } });
  t.add(b1);
  // The server is full: everyone is refused, the total is reported first.
  assert.match(t.quotaProblem('bob') ?? '', /server allocation quota \(3\) reached/);
  assert.match(t.quotaProblem('carol') ?? '', /server allocation quota \(3\) reached/);
  assert.equal(t.size, 3);
  assert.equal(t.remove(a1), true);
  assert.equal(t.quotaProblem('carol'), undefined);
  assert.equal(t.quotaProblem('alice'), undefined);
  assert.deepEqual(t.ofUser('alice'), [a2]);
  assert.equal(t.remove(a1), false); // once only
  assert.equal(t.remove(alloc({ user: 'bob', client: { address: '203.0.113.2', port: 1 } })), false); // same key, other object
  assert.deepEqual(t.ofUser('bob'), [b1]);
  t.remove(a2);
  assert.deepEqual(t.ofUser('alice'), []);
});

test('quota of zero refuses everything', () => {
  const t = new AllocationTable<string>({ perUser: 0, total: 10 });
  assert.match(t.quotaProblem('alice') ?? '', /per-user/);
  const u = new AllocationTable<string>({ perUser: 10, total: 0 });
  assert.match(u.quotaProblem('alice') ?? '', /server/);
});

test('lookups: by 5-tuple key, by client (port fast path, address checked), by relay port', () => {
  const t = new AllocationTable<string>({ perUser: 10, total: 10 });
  const a = alloc({ client: { address: '203.0.113.1', port: 40000 } });
  const b = alloc({ client: { address: '203.0.113.2', port: 40000 } }); // same port, other host: overrides the port index
  t.add(a);
  t.add(b);
  assert.equal(t.get(allocKey(a.client)), a);
  assert.equal(t.find({ address: '203.0.113.1', port: 40000 }), a); // through the key
  assert.equal(t.find({ address: '203.0.113.2', port: 40000 }), b); // through the port index
  assert.equal(t.find({ address: '203.0.113.3', port: 40000 }), undefined);
  assert.equal(t.find({ address: '203.0.113.1', port: 40001 }), undefined);
  assert.equal(t.atRelayPort(a.relay.port), a);
  assert.equal(t.atRelayPort(b.relay.port), b);
  t.remove(b);
  assert.equal(t.find({ address: '203.0.113.2', port: 40000 }), undefined);
  assert.equal(t.find({ address: '203.0.113.1', port: 40000 }), a);
  assert.equal(t.atRelayPort(b.relay.port), undefined);
  // Removing the allocation that does not own the port index leaves the index to the other.
  t.add(b);
  t.remove(a);
  assert.equal(t.find({ address: '203.0.113.2', port: 40000 }), b);
  assert.equal(t.find({ address: '203.0.113.1', port: 40000 }), undefined);
  assert.deepEqual(t.all(), [b]);
});

test('events: created on add, counters on every sweep, deleted once on remove', () => {
  const t = new AllocationTable<string>({ perUser: 10, total: 10 });
  const seen: string[] = [];
  t.listen({
    created: (a) => seen.push(`created ${a.relay.port}`),
    counters: (a) => seen.push(`counters ${a.relay.port} ${a.bytesToPeer}/${a.bytesFromPeer}`),
    deleted: (a) => seen.push(`deleted ${a.relay.port} ${a.bytesToPeer}/${a.bytesFromPeer}`),
  });
  t.listen({ created: (a) => seen.push(`second listener ${a.relay.port}`) }); // hooks are optional
  const a = alloc();
  t.add(a);
  a.bytesToPeer = 10;
  a.addPermission(PEER.address, T0);
  t.sweep(T0 + PERMISSION_LIFETIME_S * S);
  assert.equal(a.permissions.size, 0); // the table's sweep sweeps each allocation
  a.bytesFromPeer = 7;
  t.remove(a);
  t.remove(a);
  t.sweep(T0);
  const p = a.relay.port;
  assert.deepEqual(seen, [`created ${p}`, `second listener ${p}`, `counters ${p} 10/0`, `deleted ${p} 10/7`]);
});

test('per-IP quota: two identities from one address cannot fill the server; another address still allocates (#8 item 7)', () => {
  const t = new AllocationTable<string>({ perUser: 10, total: 20 }); // per IP: half the server by default
  const attacker = '203.0.113.66';
  let port = 1;
  for (const user of ['sybil1', 'sybil2']) {
    for (let i = 0; i < 10; i++) {
      if (t.quotaProblem(user, attacker) === undefined) t.add(alloc({ user, client: { address: attacker, port: port++ } }));
    }
  }
  assert.equal(t.ofIp(attacker), 10);
  assert.match(t.quotaProblem('sybil2', attacker) ?? '', /per-IP allocation quota \(10\) reached for 203\.0\.113\.66/);
  assert.equal(t.quotaProblem('alice', '198.51.100.1'), undefined, 'the legitimate pair still fits');
  t.add(alloc({ user: 'alice', client: { address: '198.51.100.1', port: 1 } }));
  t.add(alloc({ user: 'bob', client: { address: '198.51.100.2', port: 1 } }));
  // Freeing gives the address its room back.
  t.remove(t.ofUser('sybil1')[0]!);
  assert.equal(t.ofIp(attacker), 9);
  assert.equal(t.quotaProblem('sybil1', attacker), undefined);
});

test('per-IP quota: explicit value, 0 for none, and the default (half the total, at most 100)', () => {
  const t = new AllocationTable<string>({ perUser: 10, total: 100, perIp: 2 });
  t.add(alloc({ user: 'a', client: { address: '203.0.113.9', port: 1 } }));
  t.add(alloc({ user: 'b', client: { address: '203.0.113.9', port: 2 } }));
  assert.match(t.quotaProblem('c', '203.0.113.9') ?? '', /per-IP allocation quota \(2\)/);
  const open = new AllocationTable<string>({ perUser: 10, total: 100, perIp: 0 });
  for (let i = 1; i <= 20; i++) open.add(alloc({ user: `u${i % 5}`, client: { address: '203.0.113.9', port: i } }));
  assert.equal(open.quotaProblem('u9', '203.0.113.9'), undefined);
  assert.equal(defaultPerIpQuota(20), 10);
  assert.equal(defaultPerIpQuota(1), 1);
  assert.equal(defaultPerIpQuota(1000), DEFAULT_MAX_ALLOCATIONS_PER_IP);
});
