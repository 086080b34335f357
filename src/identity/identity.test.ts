import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Identity, peerIdFromPublicKey, verifySignature } from './keys.js';
import { KnownPeers } from './known-peers.js';
import { signDescription, verifyDescription, sdpFingerprint, MAX_DESCRIPTION_AGE_MS } from './signed-description.js';

const SDP = 'v=0\r\na=fingerprint:sha-256 AA:BB:CC\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n';

describe('identity', () => {
  it('persists the key with mode 0600 and derives the peer id from it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2prc-id-'));
    try {
      const a = Identity.loadOrCreate(dir);
      const b = Identity.loadOrCreate(dir);
      assert.equal(a.peerId, b.peerId);
      assert.equal(a.peerId, peerIdFromPublicKey(a.publicKeyRaw));
      assert.match(a.peerId, /^[0-9a-f]{40}$/);
      assert.equal(statSync(join(dir, 'identity.json')).mode & 0o777, 0o600);
      const sig = a.sign(Buffer.from('hello'));
      assert.ok(verifySignature(b.publicKey, Buffer.from('hello'), sig));
      assert.ok(!verifySignature(b.publicKey, Buffer.from('hellO'), sig));
      assert.ok(!verifySignature('not base64 key', Buffer.from('hello'), sig));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('refuses a corrupt identity file rather than silently replacing the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2prc-id-'));
    try {
      writeFileSync(join(dir, 'identity.json'), '{"version":1}');
      assert.throws(() => Identity.loadOrCreate(dir), /not a valid p2prc identity/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe('signed descriptions', () => {
  const alice = Identity.generate();
  const bob = Identity.generate();
  const offer = signDescription(alice, { kind: 'offer', sessionId: 'session-1', to: bob.peerId, sdp: SDP, ts: Date.now() });

  it('verify for the intended receiver', () => {
    assert.deepEqual(verifyDescription(offer, alice, bob.peerId), { ok: true });
  });
  it('fail when the fingerprint is swapped', () => {
    const swapped = { ...offer, sdp: offer.sdp.replace('AA:BB:CC', 'DD:EE:FF') };
    const r = verifyDescription(swapped, alice, bob.peerId);
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : '', /altered in transit/);
    assert.equal(sdpFingerprint(swapped.sdp), 'sha-256 DD:EE:FF');
  });
  it('fail for another receiver, another kind, another session, another signer, or when stale', () => {
    const carol = Identity.generate();
    assert.equal(verifyDescription(offer, alice, carol.peerId).ok, false);
    assert.equal(verifyDescription({ ...offer, kind: 'answer' }, alice, bob.peerId).ok, false);
    assert.equal(verifyDescription({ ...offer, sessionId: 'session-2' }, alice, bob.peerId).ok, false);
    assert.equal(verifyDescription(offer, carol, bob.peerId).ok, false);
    const old = signDescription(alice, { kind: 'offer', sessionId: 'session-1', to: bob.peerId, sdp: SDP, ts: Date.now() - MAX_DESCRIPTION_AGE_MS - 1000 });
    assert.equal(verifyDescription(old, alice, bob.peerId).ok, false);
  });
  it('sign the relay-only flag: dropping or adding it on the path breaks the signature', () => {
    const forced = signDescription(alice, { kind: 'offer', sessionId: 'session-3', to: bob.peerId, sdp: SDP, ts: Date.now(), relayOnly: true });
    assert.equal(forced.relayOnly, true);
    assert.deepEqual(verifyDescription(forced, alice, bob.peerId), { ok: true });
    const { relayOnly: _dropped, ...stripped } = forced;
    assert.equal(verifyDescription(stripped, alice, bob.peerId).ok, false);
    assert.equal(verifyDescription({ ...offer, relayOnly: true }, alice, bob.peerId).ok, false);
    assert.equal('relayOnly' in offer, false, 'absent unless asked for');
  });
});

describe('known peers', () => {
  it('remembers the first key per name and refuses another', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2prc-kp-'));
    try {
      const kp = new KnownPeers(dir);
      kp.checkAndRemember('alice', 'a'.repeat(40), 'k1');
      kp.checkAndRemember('alice', 'a'.repeat(40), 'k1');
      const again = new KnownPeers(dir);
      assert.throws(() => again.checkAndRemember('alice', 'b'.repeat(40), 'k2'), (e: Error & { code?: string }) => e.code === 'key-changed' && /has changed/.test(e.message));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
