import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeClientMessage, decodeServerMessage, encodeMessage, MAX_MESSAGE_BYTES, registerChallenge } from './messages.js';
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
      { type: 'ping', id: 3 },
      { type: 'signal', to: 'a'.repeat(40), payload: { kind: 'candidate', sessionId: 'abcdefgh', candidate: 'a=candidate:1 1 UDP 1 1.2.3.4 5 typ host', mid: '0' } },
      { type: 'signal', to: 'a'.repeat(40), payload: { kind: 'ack', sessionId: 'abcdefgh' } },
      { type: 'route', peer: 'b'.repeat(40), kind: 'direct', local: { type: 'host', address: '127.0.0.1', port: 1 }, remote: { type: 'srflx', address: '203.0.113.5', port: 2 } },
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
