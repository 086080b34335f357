import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IceServer } from 'node-datachannel';
import { sessionIceServers } from './session-ice-servers.js';

const STUN: IceServer = { hostname: '203.0.113.1', port: 3478 };
const TURN: IceServer = { hostname: '203.0.113.1', port: 3478, relayType: 'TurnUdp', username: 'u', password: 'p' };
const TURN_TCP: IceServer = { hostname: '203.0.113.1', port: 3478, relayType: 'TurnTcp', username: 'u', password: 'p' };
const OTHER_STUN: IceServer = { hostname: '198.51.100.7', port: 3478 };
const ours = [STUN, TURN];
const usable = (): boolean => true;

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
  it('offerer: drops the STUN server on a usable TURN server\'s address, keeps the rest', () => {
    assert.deepEqual(sessionIceServers(ours, { role: 'offerer', relayOnly: false, turnUsable: usable }), [TURN]);
    assert.deepEqual(sessionIceServers([OTHER_STUN, ...ours], { role: 'offerer', relayOnly: false, turnUsable: usable }), [OTHER_STUN, TURN]);
    // A TURN server that refused us (or none told): both stay.
    assert.deepEqual(sessionIceServers(ours, { role: 'offerer', relayOnly: false, turnUsable: () => false }), ours);
    assert.deepEqual(sessionIceServers(ours, { role: 'offerer', relayOnly: false }), ours);
    // TURN over TCP does not stand in for STUN (libjuice uses TURN over UDP only).
    assert.deepEqual(sessionIceServers([STUN, TURN_TCP], { role: 'offerer', relayOnly: false, turnUsable: usable }), [STUN, TURN_TCP]);
    assert.deepEqual(sessionIceServers(ours, { role: 'offerer', relayOnly: true, turnUsable: usable }), ours);
  });
});
