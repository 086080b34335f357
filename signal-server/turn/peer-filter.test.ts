/** Which peers the relay may send to: the private ranges, the server's own ports, port 0. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPeer, isPrivateAddress, normalizeAddress, type PeerPolicy } from './peer-filter.js';

const policy = (o: Partial<PeerPolicy> = {}): PeerPolicy => ({
  allowPrivatePeers: false,
  ownAddresses: new Set(['192.0.2.10']),
  ownPorts: new Set([3478, 3479, 8080]),
  relayPorts: { min: 49152, max: 49200 },
  ...o,
});

test('normalizeAddress strips the IPv4-mapped prefix only', () => {
  assert.equal(normalizeAddress('192.0.2.1'), '192.0.2.1');
  assert.equal(normalizeAddress('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(normalizeAddress('::FFFF:10.0.0.1'), '10.0.0.1');
  assert.equal(normalizeAddress('::1'), '::1');
  assert.equal(normalizeAddress('2001:db8::1'), '2001:db8::1');
  assert.equal(normalizeAddress('::ffff:192.0.2'), '::ffff:192.0.2');
});

test('private, loopback, CGNAT, link-local, multicast and reserved ranges, with their edges', () => {
  const yes = [
    '0.0.0.0', '0.255.255.255', // "this network"
    '10.0.0.0', '10.255.255.255',
    '100.64.0.0', '100.127.255.255', // CGNAT (RFC 6598)
    '127.0.0.1', '127.255.255.254',
    '169.254.0.1', '169.254.255.255', // link-local
    '172.16.0.0', '172.31.255.255',
    '192.168.0.0', '192.168.255.255',
    '224.0.0.1', '239.255.255.255', // multicast
    '240.0.0.1', '255.255.255.255', // reserved, broadcast
    '::', '::1', 'fc00::1', 'fdff::1', 'fe80::1', 'febf::1', 'ff02::1',
    '::ffff:10.0.0.1', '::ffff:127.0.0.1', // mapped forms too
    'localhost', 'example.com', '', '1.2.3', // not an IP: never relayed to
  ];
  const no = [
    '9.255.255.255', '11.0.0.0',
    '100.63.255.255', '100.128.0.0',
    '126.255.255.255', '128.0.0.0',
    '169.253.255.255', '169.255.0.0',
    '172.15.255.255', '172.32.0.0',
    '192.167.255.255', '192.169.0.0',
    '223.255.255.255', '1.1.1.1', '203.0.113.5',
    '2001:db8::1', '2606:4700::1111', 'fec0::1', '::ffff:8.8.8.8',
  ];
  for (const a of yes) assert.equal(isPrivateAddress(a), true, a);
  for (const a of no) assert.equal(isPrivateAddress(a), false, a);
});

test('private peers refused unless allowed', () => {
  for (const a of ['10.1.2.3', '127.0.0.1', '100.64.1.1', '169.254.1.1', '::ffff:192.168.1.1']) {
    const v = checkPeer(policy(), a, 5000);
    assert.equal(v.ok, false, a);
    assert.match(!v.ok ? v.reason : '', /private, loopback or link-local range \(--allow-private-peers to permit\)/);
    assert.deepEqual(checkPeer(policy({ allowPrivatePeers: true }), a, 5000), { ok: true }, a);
  }
  assert.deepEqual(checkPeer(policy(), '203.0.113.5', 5000), { ok: true });
});

test("the server's own service ports are never peers; its own address only inside the relay range", () => {
  const p = policy();
  for (const port of [3478, 3479, 8080]) {
    const v = checkPeer(p, '192.0.2.10', port);
    assert.equal(v.ok, false);
    assert.match(!v.ok ? v.reason : '', /one of this server's own service ports/);
  }
  const below = checkPeer(p, '192.0.2.10', 49151);
  assert.match(!below.ok ? below.reason : '', /outside its relay port range/);
  const above = checkPeer(p, '::ffff:192.0.2.10', 49201);
  assert.match(!above.ok ? above.reason : '', /outside its relay port range/);
  // Another allocation on this server: allowed at the range's edges, even if the server's address is private.
  assert.deepEqual(checkPeer(p, '192.0.2.10', 49152), { ok: true });
  assert.deepEqual(checkPeer(p, '192.0.2.10', 49200), { ok: true });
  const priv = policy({ ownAddresses: new Set(['10.0.0.5']) });
  assert.deepEqual(checkPeer(priv, '10.0.0.5', 49160), { ok: true });
  assert.equal(checkPeer(priv, '10.0.0.6', 49160).ok, false);
  // Another host's port 8080 is no concern of ours.
  assert.deepEqual(checkPeer(p, '203.0.113.5', 8080), { ok: true });
});

test('a server listening on 0.0.0.0 with private peers allowed counts 127.0.0.1 as itself', () => {
  const any = policy({ ownAddresses: new Set(['0.0.0.0']), allowPrivatePeers: true });
  assert.equal(checkPeer(any, '127.0.0.1', 3478).ok, false);
  assert.equal(checkPeer(any, '127.0.0.1', 40000).ok, false); // outside the relay range
  assert.deepEqual(checkPeer(any, '127.0.0.1', 49152), { ok: true });
  assert.deepEqual(checkPeer(any, '127.0.0.2', 3478), { ok: true }); // only 127.0.0.1 is taken for the wildcard
  // Without --allow-private-peers, loopback is refused as private anyway.
  const strict = policy({ ownAddresses: new Set(['0.0.0.0']) });
  assert.match((v => (!v.ok ? v.reason : ''))(checkPeer(strict, '127.0.0.1', 49152)), /private/);
});

test('port 0 is never a peer', () => {
  const v = checkPeer(policy(), '203.0.113.5', 0);
  assert.deepEqual(v, { ok: false, reason: 'peer port 0' });
});

test('the unspecified and broadcast addresses are never peers, whatever the policy', () => {
  for (const p of [policy(), policy({ allowPrivatePeers: true }), policy({ ownAddresses: new Set(['0.0.0.0']), allowPrivatePeers: true })]) {
    for (const a of ['0.0.0.0', '::', '::ffff:0.0.0.0', '255.255.255.255']) {
      const v = checkPeer(p, a, 49152);
      assert.equal(v.ok, false, a);
      assert.match(!v.ok ? v.reason : '', /unspecified or broadcast/);
    }
  }
});

test('on its own address, the server relays only to its live allocations when it can tell', () => {
  const live = new Set([49160]);
  const p = policy({ isAllocation: (port) => live.has(port) });
  assert.deepEqual(checkPeer(p, '192.0.2.10', 49160), { ok: true });
  const v = checkPeer(p, '192.0.2.10', 49161);
  assert.match(!v.ok ? v.reason : '', /not one of its allocations/);
  assert.deepEqual(checkPeer(p, '203.0.113.5', 49161), { ok: true }); // other hosts: any port
});
