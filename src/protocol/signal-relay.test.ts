import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeClientFrame, encodeMessage, type PeerInfo, type SignalPayload } from './messages.js';
import { encodeSignalIn, flatObjectEnd, payloadText } from './signal-relay.js';

const to = 'a'.repeat(40);
const from: PeerInfo = { peerId: 'b'.repeat(40), name: 'alice', publicKey: Buffer.alloc(32, 1).toString('base64') };
const sig = Buffer.alloc(64, 2).toString('base64');
const tricky = ['v=0\r\na=x\r\n', 'quote " inside', 'backslash \\ at end \\', '\\"', 'braces {}[], commas', 'ünïcödé 😀', '\u2028\u0000'];

function relayed(text: string): { json: string | undefined; out: unknown } {
  const { msg } = decodeClientFrame(text);
  assert.equal(msg.type, 'signal');
  if (msg.type !== 'signal') throw new Error('unreachable');
  const json = payloadText(text, msg.to, msg.payload);
  return { json, out: JSON.parse(encodeSignalIn(from, undefined, msg.payload, json)) };
}

describe('relayed signal text', () => {
  it('relays the payload as written when it is exactly the validated payload, and the receiver parses the same message', () => {
    const payloads: SignalPayload[] = [
      ...tricky.map((sdp, i) => ({ kind: 'offer' as const, sessionId: 'abcdefgh', sdp, ts: i, signature: sig })),
      { kind: 'answer', sessionId: 'abcdefgh', sdp: 'x', ts: 5, signature: sig, relayOnly: true },
      ...tricky.map((candidate) => ({ kind: 'candidate' as const, sessionId: 'abcdefgh', candidate, mid: '0', upnp: false })),
      ...tricky.map((reason) => ({ kind: 'bye' as const, sessionId: 'abcdefgh', reason })),
      { kind: 'ack', sessionId: 'abcdefgh' },
      { kind: 'punch', sessionId: 'abcdefgh', step: 'easy', address: '203.0.113.1', port: 4000 },
    ];
    for (const payload of payloads) {
      const text = encodeMessage({ type: 'signal', to, payload });
      const { json, out } = relayed(text);
      assert.ok(json !== undefined, `not relayed as written: ${text}`);
      assert.deepEqual(out, { type: 'signal', from, payload });
      assert.equal(encodeSignalIn(from, undefined, payload, json), encodeSignalIn(from, undefined, payload), 'the same text as JSON.stringify writes');
    }
  });

  it('serializes the validated payload instead whenever the text holds anything else', () => {
    const ack = '{"kind":"ack","sessionId":"abcdefgh"}';
    const others = [
      `{"type":"signal","to":"${to}","payload":{"kind":"ack","sessionId":"abcdefgh","junk":"x"}}`, // a key the schema strips
      `{"type":"signal","to":"${to}","payload":{"kind":"ack","sessionId":"zzzzzzzzz","sessionId":"abcdefgh"}}`, // a repeated key
      `{"type":"signal","to":"${to}","payload":{"kind":"ack","sessionId":{"a":1},"sessionId":"abcdefgh"}}`, // a nested value, repeated
      `{"type":"signal","to":"${to}","payload":{"junk":[1,2]},"payload":${ack}}`, // the payload twice
      `{"type":"signal","to":"${to}","payload":${ack},"to":"${to}"}`, // another key after it
      `{"type":"signal","to":"${to}","payload":${ack},"more":1}`, // a key the schema strips
      `{"type": "signal","to":"${to}","payload":${ack}}`, // another layout
      `{"to":"${to}","type":"signal","payload":${ack}}`, // another order
      `{"type":"signal","to":"${to}","payload":${ack} }`,
    ];
    for (const text of others) {
      const { json, out } = relayed(text);
      assert.equal(json, undefined, text);
      assert.deepEqual(out, { type: 'signal', from, payload: { kind: 'ack', sessionId: 'abcdefgh' } });
    }
  });

  it('finds the end of a flat object and counts its members', () => {
    const t = 'x{"a":"}\\"{[,","b\\\\":1,"c":true}y';
    assert.equal(flatObjectEnd(t, 1, 3), t.length - 1);
    assert.equal(flatObjectEnd(t, 1, 2), -1);
    assert.equal(flatObjectEnd('{"a":{"b":1}}', 0, 1), -1);
    assert.equal(flatObjectEnd('{"a":[1]}', 0, 1), -1);
    assert.equal(flatObjectEnd('{"a":"unterminated', 0, 1), -1);
    assert.equal(flatObjectEnd('["a"]', 0, 1), -1);
  });

  it('adds the sender address only where given', () => {
    const payload: SignalPayload = { kind: 'punch', sessionId: 'abcdefgh', step: 'fail' };
    const text = encodeMessage({ type: 'signal', to, payload });
    const json = payloadText(text, to, payload);
    assert.deepEqual(JSON.parse(encodeSignalIn(from, '198.51.100.7', payload, json)), { type: 'signal', from, fromIp: '198.51.100.7', payload });
  });
});
