import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildSnapshot, keyFingerprint, MAPPING_TAIL, RouteBook, type SnapshotSources } from './snapshot.js';
import type { PeerInfo, RouteReport } from '../../src/protocol/messages.js';
import type { MappingRow } from '../../src/mapping/log.js';

const key = Buffer.alloc(32, 7).toString('base64');
const peer = (c: string, name: string, extra: Partial<PeerInfo> = {}): PeerInfo => ({ peerId: c.repeat(40), name, publicKey: key, ...extra });
const report = (to: string, kind: RouteReport['kind'], localPort: number, remotePort: number, localType = kind === 'relay' ? 'relay' : 'host'): RouteReport => ({
  type: 'route',
  peer: to,
  kind,
  local: { type: localType, address: '203.0.113.1', port: localPort },
  remote: { type: 'srflx', address: '198.51.100.7', port: remotePort },
  setupMs: 40,
});
const row = (i: number, extra: Partial<MappingRow> = {}): MappingRow => ({
  Server_name: 's', Address: '203.0.113.1', Type: 'TCP', blind_port: 20000 + i, id: `r${i}`, role: 'server', peer: 'a'.repeat(40), route: 'direct',
  started_at: new Date(1000 * i).toISOString(), updated_at: new Date(1000 * i).toISOString(), bytes_sent: i, bytes_received: 2 * i, streams: 0, ...extra,
});

describe('dashboard snapshot', () => {
  it('lists peers with key fingerprints, NAT and services; routes with the relay bytes; the newest mapping rows first', () => {
    const alice = peer('a', 'alice', { nat: { natted: true, mapping: 'endpoint-independent', filtering: 'address-dependent' }, services: [{ name: 'web', type: 'tcp' }, { name: 'dns', type: 'udp' }] });
    const bob = peer('b', 'bob');
    const book = new RouteBook();
    book.add(alice, report(bob.peerId, 'relay', 50000, 40000), 'bob', 1000);
    book.add(bob, report(alice.peerId, 'direct', 41000, 42000), 'alice', 2000);
    const src: SnapshotSources = {
      server: { name: 'srv', startedAt: 0, relay: true, reverseProxy: false },
      peers: [alice, bob],
      routes: book.list(),
      allocations: [{ user: alice.peerId, client: '198.51.100.7:1000', transport: 'udp', relayed: '203.0.113.1:50000', relayedPort: 50000, bytesToPeer: 300, bytesFromPeer: 200, createdAt: 0, permissions: 1, channels: 1 }],
      mapping: [...Array.from({ length: 60 }, (_, i) => row(i)), row(60, { route: 'public-port', peer_name: 'alice', bytes_sent: 10, bytes_received: 5 })],
    };
    const s = buildSnapshot(src, 10_000);
    assert.equal(s.server.uptimeSec, 10);
    assert.equal(s.peers[0]!.fingerprint, keyFingerprint(key));
    assert.match(s.peers[0]!.fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.equal(s.peers[0]!.nat, 'mapping endpoint-independent, filtering address-dependent');
    assert.deepEqual(s.peers[0]!.services, ['web', 'dns/udp']);
    assert.equal(s.peers[1]!.nat, undefined);
    const relay = s.routes.find((r) => r.kind === 'relay')!;
    assert.equal(relay.from, 'alice');
    assert.equal(relay.to, 'bob');
    assert.equal(relay.bytes, 500, "the allocation's bytes");
    assert.equal(s.routes.find((r) => r.kind === 'direct')!.bytes, undefined, 'direct routes: the server sees no bytes');
    const pub = s.routes.find((r) => r.kind === 'public-port')!;
    assert.equal(pub.bytes, 15);
    assert.equal(s.allocations[0]!.userName, 'alice');
    assert.equal(s.mapping.length, MAPPING_TAIL);
    assert.equal(s.mapping[0]!.id, 'r60', 'newest first');
    assert.deepEqual(s.counts, { peers: 2, routes: 3, allocations: 1, mapping: 61 });
  });

  it('keeps the newest route per pair, forgets a departed peer, and stays bounded', () => {
    const book = new RouteBook(3);
    const a = peer('a', 'a');
    book.add(a, report('b'.repeat(40), 'direct', 1, 2), 'b');
    book.add(a, report('b'.repeat(40), 'relay', 3, 4), 'b');
    assert.equal(book.list().length, 1);
    assert.deepEqual(book.byKind(), { relay: 1 });
    book.add(peer('b', 'b'), report('a'.repeat(40), 'relay', 4, 3), 'a');
    book.add(peer('c', 'c'), report('d'.repeat(40), 'direct', 5, 6), 'd');
    book.add(peer('e', 'e'), report('d'.repeat(40), 'direct', 7, 8), 'd');
    assert.equal(book.list().length, 3, 'bounded: the oldest went');
    book.peerLeft('d'.repeat(40));
    assert.deepEqual(book.list().map((r) => r.from.name), ['b']);
  });
});
