/**
 * The fast path against the schemas: on generated signal and ping messages,
 * valid and broken one field at a time, whatever the fast path accepts the
 * schema accepts and returns unchanged (no key stripped, no value changed), and
 * it does accept the plainly valid ones.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { base64Bytes, fastClientMessage } from './fast-check.js';
import { ClientMessageSchema, decodeClientMessage } from './messages.js';

const sig = Buffer.alloc(64, 9).toString('base64');
const SDP = 'v=0\r\no=rtc 1 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=setup:actpass\r\n';

const valid: Record<string, unknown>[] = [
  { type: 'signal', to: 'a'.repeat(40), payload: { kind: 'offer', sessionId: 'abcdefgh', sdp: SDP, ts: 1, signature: sig } },
  { type: 'signal', to: '0123456789abcdef0123456789abcdef01234567', payload: { kind: 'answer', sessionId: 'x'.repeat(64), sdp: SDP, ts: 0, signature: sig, relayOnly: true } },
  { type: 'signal', to: 'b'.repeat(40), payload: { kind: 'candidate', sessionId: 'A-b_c123', candidate: 'a=candidate:1 1 UDP 1 1.2.3.4 5 typ host', mid: '0' } },
  { type: 'signal', to: 'b'.repeat(40), payload: { kind: 'candidate', sessionId: 'abcdefgh', candidate: '', mid: '', upnp: false } },
  { type: 'signal', to: 'c'.repeat(40), payload: { kind: 'bye', sessionId: 'abcdefgh' } },
  { type: 'signal', to: 'c'.repeat(40), payload: { kind: 'bye', sessionId: 'abcdefgh', reason: 'done' } },
  { type: 'signal', to: 'd'.repeat(40), payload: { kind: 'ack', sessionId: 'abcdefgh' } },
  { type: 'ping' },
  { type: 'ping', id: 7 },
  { type: 'ping', id: -3 },
];

/** Values a field is replaced with, one at a time. */
const odd: unknown[] = [
  undefined, null, true, 0, -1, 1.5, 2 ** 53, -0, '', 'x', 'abcdefg', 'abcdefgh', 'x'.repeat(64), 'x'.repeat(65),
  'A'.repeat(40), 'a'.repeat(39), 'a'.repeat(41), 'g'.repeat(40), 'offer', 'answer', 'candidate', 'bye', 'ack', 'punch', 'nope',
  'x'.repeat(512), 'x'.repeat(513), 'x'.repeat(1024), 'x'.repeat(1025), '😀'.repeat(40), '😀'.repeat(600), 'x'.repeat(32 * 1024), 'x'.repeat(32 * 1024 + 1),
  '😀'.repeat(16 * 1024 + 1), sig, sig.slice(0, -2), sig.replace(/=+$/, ''), sig + '=', `${sig.slice(0, -3)}-_==`, 'A'.repeat(86), 'A'.repeat(87), 'A'.repeat(85),
  'A'.repeat(86) + '=', 'A'.repeat(86) + '==', 'A'.repeat(86) + '===', 'A*'.repeat(43), [], {}, ['a'], { kind: 'ack', sessionId: 'abcdefgh' },
];

function* variants(): Generator<Record<string, unknown>> {
  for (const base of valid) {
    yield base;
    const payload = base.payload as Record<string, unknown> | undefined;
    for (const key of ['type', 'to', 'payload', 'id', 'extra', '__proto__']) {
      for (const v of odd) yield withKey(base, key, v);
    }
    if (!payload) continue;
    for (const key of [...Object.keys(payload), 'relayOnly', 'upnp', 'reason', 'extra', 'role', 'step']) {
      for (const v of odd) yield { ...base, payload: withKey(payload, key, v) };
    }
  }
}

function withKey(o: Record<string, unknown>, key: string, v: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...o };
  if (v === undefined) delete copy[key];
  else Object.defineProperty(copy, key, { value: v, enumerable: true, writable: true, configurable: true });
  // As a peer's JSON would arrive: parsed, so only JSON values and own keys.
  return JSON.parse(JSON.stringify(copy)) as Record<string, unknown>;
}

describe('fast path of client messages', () => {
  it('accepts only what the schema accepts, unchanged, and accepts the plainly valid messages', () => {
    let accepted = 0;
    let checked = 0;
    for (const m of variants()) {
      checked++;
      const fast = fastClientMessage(m);
      if (fast === undefined) continue;
      accepted++;
      const zod = ClientMessageSchema.safeParse(m);
      assert.ok(zod.success, `fast path accepted what the schema refuses: ${JSON.stringify(m).slice(0, 300)}`);
      assert.deepEqual(zod.data, m, `the schema would change it: ${JSON.stringify(m).slice(0, 300)}`);
      assert.equal(fast, m, 'the parsed object itself');
    }
    for (const m of valid) assert.ok(fastClientMessage(m), `plainly valid, not accepted: ${JSON.stringify(m)}`);
    assert.ok(checked > 5000 && accepted > 50, `checked ${checked}, accepted ${accepted}`);
  });

  it('leaves every other message to the schema: its errors and its stripping stand', () => {
    const punch = { type: 'signal', to: 'a'.repeat(40), payload: { kind: 'punch', sessionId: 'abcdefgh', step: 'fail' } };
    assert.equal(fastClientMessage(punch), undefined);
    assert.deepEqual(decodeClientMessage(JSON.stringify(punch)), punch);
    const extra = { type: 'signal', to: 'a'.repeat(40), payload: { kind: 'ack', sessionId: 'abcdefgh', junk: 1 }, more: 2 };
    assert.deepEqual(decodeClientMessage(JSON.stringify(extra)), { type: 'signal', to: 'a'.repeat(40), payload: { kind: 'ack', sessionId: 'abcdefgh' } });
    assert.throws(() => decodeClientMessage(JSON.stringify({ type: 'signal', to: 'a'.repeat(40), payload: { kind: 'offer', sessionId: 'abcdefgh', sdp: '', ts: -1, signature: sig } })), {
      code: 'bad-message',
      message: /invalid "signal" message: payload\.ts/,
    });
  });

  it('counts base64 bytes as Buffer.from does', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_';
    for (let i = 0; i < 3000; i++) {
      const r = randomBytes(100);
      let s = '';
      for (let k = 0; k < 1 + (r[0]! % 95); k++) s += alphabet[r[k + 1]! % alphabet.length];
      s += '='.repeat(r[99]! % 3);
      assert.equal(base64Bytes(s), Buffer.from(s, 'base64').length, s);
    }
  });
});
