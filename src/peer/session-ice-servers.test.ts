import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IceServer } from 'node-datachannel';
import { sessionIceServers } from './session-ice-servers.js';

const STUN: IceServer = { hostname: '203.0.113.1', port: 3478 };
const TURN: IceServer = { hostname: '203.0.113.1', port: 3478, relayType: 'TurnUdp', username: 'u', password: 'p' };
const TURN_TCP: IceServer = { hostname: '203.0.113.1', port: 3478, relayType: 'TurnTcp', username: 'u', password: 'p' };
const OTHER_STUN: IceServer = { hostname: '198.51.100.7', port: 3478 };
const ours = [STUN, TURN];

describe('sessionIceServers', () => {
  it('answerer: STUN only when no relay is likely; every server when one is, or relay-only', () => {
    assert.deepEqual(sessionIceServers(ours, { role: 'answerer', relayOnly: false }), [STUN]);
    assert.deepEqual(sessionIceServers([TURN, OTHER_STUN, TURN_TCP], { role: 'answerer', relayOnly: false }), [OTHER_STUN]);
    assert.deepEqual(sessionIceServers(ours, { role: 'answerer', relayOnly: false, relayLikely: true }), ours);
    assert.deepEqual(sessionIceServers(ours, { role: 'answerer', relayOnly: true }), ours);
  });
  it('answerer given only a TURN server over UDP uses it for STUN (no credentials, no relay)', () => {
    assert.deepEqual(sessionIceServers([TURN], { role: 'answerer', relayOnly: false }), [STUN]);
    assert.deepEqual(sessionIceServers([TURN_TCP], { role: 'answerer', relayOnly: false }), []);
    assert.deepEqual(sessionIceServers([], { role: 'answerer', relayOnly: false }), []);
  });
  it('offerer: every server', () => {
    assert.deepEqual(sessionIceServers(ours, { role: 'offerer', relayOnly: false }), ours);
  });
});
