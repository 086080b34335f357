/**
 * PeerResolver driven directly: a fake presence directory (a server lookup over
 * a list), real identities and a real known_peers file in a temp dir. Covers the
 * connected-session shortcut, the lookup (which subscribes), waiting for a peer
 * to join, the timeout, a key that does not hash to the
 * peer id, and pinning by name (first key met) versus by full id (none).
 */
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Identity } from '../identity/keys.js';
import { KnownPeers } from '../identity/known-peers.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import type { PeerInfo } from '../protocol/messages.js';
import { FILES } from '../util/paths.js';
import type { SessionState } from './session.js';
import { PeerResolver } from './peer-resolver.js';

const info = (id: Identity, name: string): PeerInfo => ({ peerId: id.peerId, name, publicKey: id.publicKey });

class FakeDirectory extends EventEmitter {
  readonly peers: PeerInfo[] = [];
  lookups = 0;
  /** Targets asked of the "server" (a lookup subscribes to them). */
  readonly asked: string[] = [];
  /** The server's answer: the peer by id or name in `peers`, after a turn of the event loop. */
  async lookup(target: string): Promise<PeerInfo | undefined> {
    this.asked.push(target);
    await new Promise((r) => setImmediate(r));
    return /^[0-9a-f]{40}$/.test(target) ? this.peerById(target) : this.peerByName(target);
  }
  peerById(peerId: string): PeerInfo | undefined {
    this.lookups++;
    return this.peers.find((p) => p.peerId === peerId);
  }
  peerByName(name: string): PeerInfo | undefined {
    this.lookups++;
    return this.peers.find((p) => p.name === name);
  }
  join(p: PeerInfo): void {
    this.peers.push(p);
    this.emit('join', p);
  }
}

const isCode = (code: string) => (err: unknown): boolean => err instanceof P2prcError && err.code === code;

describe('peer resolver', () => {
  let dir: string;
  let directory: FakeDirectory;
  let sessions: { state: SessionState; remote: PeerInfo }[];
  let resolver: PeerResolver;
  const make = (): PeerResolver => new PeerResolver({ directory, sessions: () => sessions, knownPeers: new KnownPeers(dir), server: 'ws://signal.test' });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'p2prc-resolver-'));
    directory = new FakeDirectory();
    sessions = [];
    resolver = make();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves an online peer by name and pins its key in known_peers', async () => {
    const alice = Identity.generate();
    directory.peers.push(info(alice, 'alice'));
    assert.deepEqual(await resolver.resolve('alice', 0), info(alice, 'alice'));
    const file = JSON.parse(readFileSync(join(dir, FILES.knownPeers), 'utf8'));
    assert.equal(file.peers.alice.peerId, alice.peerId);
    assert.equal(file.peers.alice.publicKey, alice.publicKey);
  });

  it('asks the server with a lookup (subscribing) and passes on its NAT info for punch planning', async () => {
    const alice = Identity.generate();
    const nat = { natted: true, mapping: 'address-dependent', filtering: 'address-and-port-dependent' } as const;
    directory.peers.push({ ...info(alice, 'alice'), nat });
    const peer = await resolver.resolve('alice', 0);
    assert.deepEqual(directory.asked, ['alice']);
    assert.deepEqual(peer.nat, nat);
  });

  it('a lookup answered offline still waits for the join its subscription brings', async () => {
    const alice = Identity.generate();
    const pending = resolver.resolve('alice', 5000);
    await new Promise((r) => setTimeout(r, 20)); // the lookup has answered "offline"
    directory.join(info(alice, 'alice'));
    assert.equal((await pending).peerId, alice.peerId);
  });

  it('refuses a name whose key changed since it was pinned (key-changed), also after a restart', async () => {
    directory.peers.push(info(Identity.generate(), 'alice'));
    await resolver.resolve('alice', 0);
    directory.peers.length = 0;
    const impostor = Identity.generate();
    directory.peers.push(info(impostor, 'alice'));
    await assert.rejects(make().resolve('alice', 0), isCode(ErrorCode.KeyChanged));
  });

  it('resolves by full peer id without writing known_peers, even when the name is pinned to another key', async () => {
    directory.peers.push(info(Identity.generate(), 'alice'));
    await resolver.resolve('alice', 0);
    const before = readFileSync(join(dir, FILES.knownPeers), 'utf8');
    const reinstalled = Identity.generate();
    directory.peers.length = 0;
    directory.peers.push(info(reinstalled, 'alice'));
    assert.equal((await resolver.resolve(reinstalled.peerId, 0)).peerId, reinstalled.peerId);
    assert.equal(readFileSync(join(dir, FILES.knownPeers), 'utf8'), before);
  });

  it('pins nothing when resolving by id only', async () => {
    const bob = Identity.generate();
    directory.peers.push(info(bob, 'bob'));
    await resolver.resolve(bob.peerId, 0);
    assert.equal(existsSync(join(dir, FILES.knownPeers)), false);
  });

  it('refuses a key that does not hash to the peer id (tampered) and pins nothing', async () => {
    const alice = Identity.generate();
    const other = Identity.generate();
    directory.peers.push({ peerId: alice.peerId, name: 'alice', publicKey: other.publicKey });
    await assert.rejects(resolver.resolve('alice', 0), isCode(ErrorCode.Tampered));
    assert.equal(existsSync(join(dir, FILES.knownPeers)), false);
  });

  it('waits for the peer to join, then stops listening', async () => {
    const alice = Identity.generate();
    const pending = resolver.resolve('alice', 5000);
    assert.equal(directory.listenerCount('join'), 1);
    assert.equal(directory.listenerCount('registered'), 1);
    directory.join(info(Identity.generate(), 'carol'));
    directory.join(info(alice, 'alice'));
    assert.equal((await pending).peerId, alice.peerId);
    assert.equal(directory.listenerCount('join'), 0);
    assert.equal(directory.listenerCount('registered'), 0);
  });

  it('finds the peer again after a re-registration', async () => {
    const alice = Identity.generate();
    const pending = resolver.resolve('alice', 5000);
    directory.peers.push(info(alice, 'alice'));
    directory.emit('registered');
    assert.equal((await pending).peerId, alice.peerId);
  });

  it('gives up after waitMs with peer-offline naming the server', async () => {
    const t0 = performance.now();
    await assert.rejects(resolver.resolve('nobody', 50), (err: unknown) => isCode(ErrorCode.PeerOffline)(err) && /"nobody" is not online at ws:\/\/signal\.test/.test((err as Error).message));
    assert.ok(performance.now() - t0 >= 45);
    assert.equal(directory.listenerCount('join'), 0);
  });

  it('answers from a connected session without asking the directory; a connecting one does not count', async () => {
    const alice = Identity.generate();
    sessions.push({ state: 'connected', remote: info(alice, 'alice') });
    assert.equal((await resolver.resolve('alice', 0)).peerId, alice.peerId);
    assert.equal((await resolver.resolve(alice.peerId, 0)).peerId, alice.peerId);
    assert.equal(directory.lookups, 0);
    const bob = Identity.generate();
    sessions.push({ state: 'connecting', remote: info(bob, 'bob') });
    await assert.rejects(resolver.resolve('bob', 0), isCode(ErrorCode.PeerOffline));
    assert.ok(directory.lookups > 0);
  });
});
