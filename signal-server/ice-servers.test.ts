import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRestUsername, restPassword } from '../src/stun/credentials.js';
import { CREDENTIAL_TTL_S, iceServersFor } from './ice-servers.js';

const PEER = 'ab'.repeat(20);

describe('iceServersFor', () => {
  it('hands out our relay with REST credentials valid for the TTL', () => {
    const now = 1_700_000_000_000;
    const [ours, ...rest] = iceServersFor({ secret: 'k', relay: { advertisedAddress: '203.0.113.1', port: 3478 }, external: [] }, '198.51.100.2', PEER, now);
    assert.equal(rest.length, 0);
    assert.deepEqual(ours?.urls, ['stun:203.0.113.1:3478', 'turn:203.0.113.1:3478?transport=udp']);
    const parsed = parseRestUsername(ours!.username!);
    assert.deepEqual(parsed, { expiry: now / 1000 + CREDENTIAL_TTL_S, user: PEER });
    assert.equal(ours?.credential, restPassword('k', ours!.username!));
  });

  it('advertises the address the peer reached us on when the relay listens on a wildcard', () => {
    for (const wildcard of ['0.0.0.0', '::']) {
      const [ours] = iceServersFor({ secret: 'k', relay: { advertisedAddress: wildcard, port: 3478 }, external: [] }, '198.51.100.2', PEER);
      assert.deepEqual(ours?.urls, ['stun:198.51.100.2:3478', 'turn:198.51.100.2:3478?transport=udp']);
    }
  });

  it('gives credentials to external TURN servers only, none to STUN ones', () => {
    const out = iceServersFor({ secret: 'k', external: ['stun:stun.example.org', 'turn:turn.example.org:3478', 'TURNS:turn.example.org'] }, '127.0.0.1', PEER);
    assert.equal(out.length, 3);
    assert.deepEqual(out[0], { urls: 'stun:stun.example.org' });
    assert.ok(out[1]?.username && out[1]?.credential);
    assert.ok(out[2]?.username && out[2]?.credential);
  });
});
