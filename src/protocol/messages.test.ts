import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeClientMessage, decodeServerMessage, encodeMessage, MAX_LIST_PAGE, MAX_LOOKUP_TARGETS, MAX_MESSAGE_BYTES, MAX_RELEASE_PORTS, registerChallenge, type PeerInfo } from './messages.js';
import { P2prcError } from './errors.js';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof P2prcError, `not a P2prcError: ${String(err)}`);
    return err.code;
  }
  assert.fail('did not throw');
};

describe('signalling message codec', () => {
  const key = Buffer.alloc(32, 1).toString('base64');
  const sig = Buffer.alloc(64, 2).toString('base64');

  it('round-trips every client message type', () => {
    const msgs = [
      { type: 'register', v: 1, name: 'alice', publicKey: key, signature: sig },
      { type: 'list' },
      { type: 'list', cursor: 'c'.repeat(40), limit: 50 },
      { type: 'lookup', targets: ['alice', 'd'.repeat(40)] as string[] },
      { type: 'ping', id: 3 },
      { type: 'signal', to: 'a'.repeat(40), payload: { kind: 'candidate', sessionId: 'abcdefgh', candidate: 'a=candidate:1 1 UDP 1 1.2.3.4 5 typ host', mid: '0' } },
      { type: 'signal', to: 'a'.repeat(40), payload: { kind: 'ack', sessionId: 'abcdefgh' } },
      { type: 'route', peer: 'b'.repeat(40), kind: 'direct', local: { type: 'host', address: '127.0.0.1', port: 1 }, remote: { type: 'srflx', address: '203.0.113.5', port: 2 } },
      { type: 'relay-release', ports: [50000, 50001] as number[] },
    ] as const;
    for (const m of msgs) assert.deepEqual(decodeClientMessage(encodeMessage(m)), m);
  });

  it('classifies bad input with stable codes', () => {
    assert.equal(code(() => decodeClientMessage('{"type":')), 'bad-json');
    assert.equal(code(() => decodeClientMessage('"just a string"')), 'bad-message');
    assert.equal(code(() => decodeClientMessage('null')), 'bad-message');
    assert.equal(code(() => decodeClientMessage('{"kind":"x"}')), 'bad-message');
    assert.equal(code(() => decodeClientMessage('{"type":"hello"}')), 'unknown-type');
    assert.equal(code(() => decodeClientMessage('{"type":"register","v":1}')), 'bad-message');
    assert.equal(code(() => decodeClientMessage(JSON.stringify({ type: 'ping', pad: 'x'.repeat(MAX_MESSAGE_BYTES) }))), 'too-large');
    assert.equal(code(() => decodeClientMessage(JSON.stringify({ type: 'register', v: 1, name: 'alice', publicKey: 'AAAA', signature: sig }))), 'bad-message');
    assert.equal(code(() => decodeClientMessage(JSON.stringify({ type: 'register', v: 1, name: '-bad', publicKey: key, signature: sig }))), 'bad-message');
    assert.equal(code(() => decodeServerMessage('{"type":"register"}')), 'unknown-type');
    assert.equal(code(() => decodeClientMessage('{"type":"relay-release","ports":[]}')), 'bad-message');
    assert.equal(code(() => decodeClientMessage('{"type":"relay-release","ports":[0]}')), 'bad-message');
    assert.equal(code(() => decodeClientMessage(JSON.stringify({ type: 'relay-release', ports: Array.from({ length: MAX_RELEASE_PORTS + 1 }, (_, i) => 50000 + i) }))), 'bad-message');
  });

  it('names the offending field', () => {
    try {
      decodeClientMessage(JSON.stringify({ type: 'signal', to: 'zz', payload: { kind: 'bye', sessionId: 'abcdefgh' } }));
      assert.fail('accepted');
    } catch (err) {
      assert.match((err as Error).message, /to: /);
    }
  });

  it('binds the register challenge to nonce and name', () => {
    assert.notDeepEqual(registerChallenge('n1', 'alice'), registerChallenge('n2', 'alice'));
    assert.notDeepEqual(registerChallenge('n1', 'alice'), registerChallenge('n1', 'alicf'));
  });
});

describe('presence messages stay below the peers\' 64 KiB limit (#8 item 2)', () => {
  // The largest peer entry: a 63-character name, NAT info, a 40-char id, a 32-byte key.
  const big = (i: number): PeerInfo => ({
    peerId: i.toString(16).padStart(40, 'f'),
    name: `n${String(i).padStart(62, 'x')}`,
    publicKey: Buffer.alloc(32, 0xff).toString('base64'),
    nat: { natted: true, mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent' },
  });

  it('a full list page of the largest entries decodes on the peer side', () => {
    const page = { type: 'peers', peers: Array.from({ length: MAX_LIST_PAGE }, (_, i) => big(i)), next: 'e'.repeat(40) } as const;
    const wire = encodeMessage(page);
    assert.ok(Buffer.byteLength(wire) < MAX_MESSAGE_BYTES / 2, `${Buffer.byteLength(wire)} bytes`);
    assert.deepEqual(decodeServerMessage(wire), page);
  });

  it('a full lookup answer decodes on the peer side', () => {
    const results = Array.from({ length: MAX_LOOKUP_TARGETS }, (_, i) => ({ target: big(i).name, peer: big(i) }));
    const wire = encodeMessage({ type: 'lookup', results });
    assert.ok(Buffer.byteLength(wire) < MAX_MESSAGE_BYTES / 2, `${Buffer.byteLength(wire)} bytes`);
    assert.equal(decodeServerMessage(wire).type, 'lookup');
  });

  it('the registered reply carries no peer list, and a page or lookup beyond the bound is refused', () => {
    const reg = decodeServerMessage(JSON.stringify({ type: 'registered', peerId: 'a'.repeat(40), name: 'alice', iceServers: [], online: 10_000 }));
    assert.equal(reg.type === 'registered' && reg.peers, undefined);
    assert.equal(code(() => decodeClientMessage(JSON.stringify({ type: 'list', limit: MAX_LIST_PAGE + 1 }))), 'bad-message');
    assert.equal(code(() => decodeClientMessage(JSON.stringify({ type: 'lookup', targets: Array(MAX_LOOKUP_TARGETS + 1).fill('alice') }))), 'bad-message');
    assert.equal(code(() => decodeClientMessage(JSON.stringify({ type: 'lookup', targets: [] }))), 'bad-message');
  });
});
