import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Attr, ErrorCodes, Method, StunClass } from './constants.js';
import {
  StunDecodeError,
  attr,
  buildError,
  buildIndication,
  buildRequest,
  buildSuccess,
  className,
  decodeMessage,
  decodeMessageType,
  encodeMessage,
  encodeMessageType,
  getAttribute,
  getAttributes,
  isStunMessage,
  longTermKey,
  methodName,
  newTransactionId,
  shortTermKey,
  unknownComprehensionRequired,
  verifyFingerprint,
  verifyMessageIntegrity,
  verifyMessageIntegritySha256,
  type StunMessage,
} from './message.js';
import { decodeErrorCode } from './attributes/error-code.js';
import { encodeLifetime } from './attributes/lifetime.js';

const tid = Buffer.from('000102030405060708090a0b', 'hex');

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StunDecodeError, `expected StunDecodeError, got ${String(e)}`);
    return e.reason;
  }
  assert.fail('did not throw');
}

test('message type packs method and class bits (RFC 8489 Figure 3)', () => {
  const cases: [number, number, number][] = [
    [Method.Binding, StunClass.Request, 0x0001],
    [Method.Binding, StunClass.SuccessResponse, 0x0101],
    [Method.Binding, StunClass.ErrorResponse, 0x0111],
    [Method.Binding, StunClass.Indication, 0x0011],
    [Method.Allocate, StunClass.Request, 0x0003],
    [Method.Allocate, StunClass.ErrorResponse, 0x0113],
    [Method.Send, StunClass.Indication, 0x0016],
    [Method.Data, StunClass.Indication, 0x0017],
    [Method.ChannelBind, StunClass.SuccessResponse, 0x0109],
    [0xfff, StunClass.ErrorResponse, 0x3fff],
  ];
  for (const [m, c, t] of cases) {
    assert.equal(encodeMessageType(m, c), t);
    assert.deepEqual(decodeMessageType(t), { method: m, cls: c });
  }
  for (let m = 0; m <= 0xfff; m += 7) for (let c = 0; c < 4; c++) assert.deepEqual(decodeMessageType(encodeMessageType(m, c)), { method: m, cls: c });
  assert.throws(() => encodeMessageType(0x1000, 0), RangeError);
  assert.throws(() => encodeMessageType(1, 4), RangeError);
});

test('encode/decode round trip keeps attribute order, values and padding rules', () => {
  const msg: StunMessage = {
    cls: StunClass.Request,
    method: Method.Allocate,
    transactionId: tid,
    attributes: [attr(Attr.Data, Buffer.from('abcde')), attr(Attr.Software, Buffer.from('x')), attr(Attr.DontFragment), attr(Attr.Lifetime, encodeLifetime(600))],
  };
  const wire = encodeMessage(msg);
  assert.equal(wire.length, 20 + (4 + 8) + (4 + 4) + 4 + (4 + 4));
  assert.equal(wire.readUInt16BE(2), wire.length - 20);
  assert.deepEqual(wire.subarray(20, 32), Buffer.from('00130005616263646500000000', 'hex').subarray(0, 12));
  assert.equal(isStunMessage(wire), true);
  assert.deepEqual(decodeMessage(wire), msg);
  // Uint8Array input works as well.
  assert.deepEqual(decodeMessage(new Uint8Array(wire) as Buffer), msg);
  // Values are copies: mutating the input afterwards does not change them.
  const copy = Buffer.from(wire);
  const d = decodeMessage(copy);
  copy.fill(0);
  assert.deepEqual(d, msg);
});

test('encodeMessage validates its input', () => {
  const base: StunMessage = { cls: StunClass.Request, method: Method.Binding, transactionId: tid, attributes: [] };
  assert.throws(() => encodeMessage({ ...base, transactionId: Buffer.alloc(11) }), RangeError);
  assert.throws(() => encodeMessage({ ...base, method: 0x1000 }), RangeError);
  assert.throws(() => encodeMessage({ ...base, attributes: [{ type: 0x10000, value: Buffer.alloc(0) }] }), RangeError);
  assert.throws(() => encodeMessage({ ...base, attributes: [{ type: Attr.Data, value: Buffer.alloc(0x10000) }] }), RangeError);
  assert.throws(() => encodeMessage({ ...base, attributes: [attr(Attr.Data, Buffer.alloc(0xfff0)), attr(Attr.Data, Buffer.alloc(16))] }), RangeError);
  assert.throws(() => encodeMessage(base, { paddingByte: 256 }), RangeError);
  assert.throws(() => encodeMessage(base, { integritySha256Key: Buffer.from('k'), integritySha256Length: 12 }), RangeError);
  // The largest message that fits.
  const big = encodeMessage({ ...base, attributes: [attr(Attr.Data, Buffer.alloc(0xfffc - 4))] });
  assert.equal(big.length, 20 + 0xfffc);
  assert.equal(decodeMessage(big).attributes[0]!.value.length, 0xfffc - 4);
});

test('decode rejects malformed framing with specific reasons', () => {
  const good = encodeMessage({ cls: StunClass.Request, method: Method.Binding, transactionId: tid, attributes: [attr(Attr.Software, Buffer.from('abc'))] });
  const mutate = (f: (b: Buffer) => void): Buffer => {
    const b = Buffer.from(good);
    f(b);
    return b;
  };
  assert.equal(reason(() => decodeMessage(good.subarray(0, 19))), 'too-short');
  assert.equal(reason(() => decodeMessage(Buffer.alloc(0))), 'too-short');
  assert.equal(reason(() => decodeMessage(mutate((b) => (b[0] = b[0]! | 0x80)))), 'not-stun');
  assert.equal(reason(() => decodeMessage(mutate((b) => (b[0] = b[0]! | 0x40)))), 'not-stun');
  assert.equal(reason(() => decodeMessage(mutate((b) => (b[4] = 0)))), 'bad-cookie');
  assert.equal(reason(() => decodeMessage(mutate((b) => b.writeUInt16BE(6, 2)))), 'bad-length');
  assert.equal(reason(() => decodeMessage(good.subarray(0, good.length - 4))), 'length-mismatch');
  assert.equal(reason(() => decodeMessage(Buffer.concat([good, Buffer.alloc(4)]))), 'length-mismatch');
  assert.equal(reason(() => decodeMessage(mutate((b) => b.writeUInt16BE(5, 22)))), 'attribute-overrun');
  assert.equal(reason(() => decodeMessage(mutate((b) => b.writeUInt16BE(0xffff, 22)))), 'attribute-overrun');
  assert.equal(reason(() => decodeMessage('nope' as unknown as Buffer)), 'not-a-buffer');
  assert.equal(reason(() => decodeMessage(undefined as unknown as Buffer)), 'not-a-buffer');
  for (const b of [good.subarray(0, 19), Buffer.concat([good, Buffer.alloc(4)])]) assert.equal(isStunMessage(b), false);
  assert.equal(isStunMessage('x' as unknown as Buffer), false);
  // Wrong-size security attributes are framing errors.
  const withFp = encodeMessage({ cls: 0, method: 1, transactionId: tid, attributes: [attr(Attr.Fingerprint, Buffer.alloc(8))] });
  assert.equal(reason(() => decodeMessage(withFp)), 'bad-length');
  const withMi = encodeMessage({ cls: 0, method: 1, transactionId: tid, attributes: [attr(Attr.MessageIntegrity, Buffer.alloc(16))] });
  assert.equal(reason(() => decodeMessage(withMi)), 'bad-length');
  const withMi256 = encodeMessage({ cls: 0, method: 1, transactionId: tid, attributes: [attr(Attr.MessageIntegritySha256, Buffer.alloc(12))] });
  assert.equal(reason(() => decodeMessage(withMi256)), 'bad-length');
});

test('attributes after MESSAGE-INTEGRITY (except MI-SHA256, FINGERPRINT) and after FINGERPRINT are ignored', () => {
  const key = Buffer.from('key');
  const lifetime = attr(Attr.Lifetime, encodeLifetime(60));
  const data = attr(Attr.Data, Buffer.from([1, 2, 3, 4]));
  const signed = encodeMessage({ cls: StunClass.Request, method: Method.Refresh, transactionId: tid, attributes: [lifetime] }, { integrityKey: key });
  // Append DATA after MESSAGE-INTEGRITY and fix the length: DATA is ignored, integrity still verifies.
  const extra = Buffer.from('0013000401020304', 'hex');
  const tampered = Buffer.concat([signed, extra]);
  tampered.writeUInt16BE(tampered.length - 20, 2);
  const d = decodeMessage(tampered);
  assert.deepEqual(d.attributes.map((a) => a.type), [Attr.Lifetime, Attr.MessageIntegrity]);
  assert.equal(getAttribute(d, Attr.Data), undefined);
  assert.equal(verifyMessageIntegrity(tampered, key), true);
  // After FINGERPRINT everything is ignored, even MESSAGE-INTEGRITY.
  const fp = encodeMessage({ cls: StunClass.Request, method: Method.Binding, transactionId: tid, attributes: [data] }, { fingerprint: true });
  const after = Buffer.concat([fp, Buffer.from('0008001400000000000000000000000000000000000000000013000401020304', 'hex')]);
  after.writeUInt16BE(after.length - 20, 2);
  assert.deepEqual(decodeMessage(after).attributes.map((a) => a.type), [Attr.Data, Attr.Fingerprint]);
  assert.equal(verifyFingerprint(after), true);
  assert.equal(verifyMessageIntegrity(after, key), false);
  // MI, MI-SHA256 and FINGERPRINT are all kept, in order; anything between is dropped.
  const both = encodeMessage({ cls: 0, method: 1, transactionId: tid, attributes: [data] }, { integrityKey: key, integritySha256Key: key, fingerprint: true });
  assert.deepEqual(decodeMessage(both).attributes.map((a) => a.type), [Attr.Data, Attr.MessageIntegrity, Attr.MessageIntegritySha256, Attr.Fingerprint]);
  // Ignored attributes still have to be well-formed.
  const broken = Buffer.concat([signed, Buffer.from('00130008', 'hex')]);
  broken.writeUInt16BE(broken.length - 20, 2);
  assert.equal(reason(() => decodeMessage(broken)), 'attribute-overrun');
});

test('MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT: encode, verify, tamper', () => {
  const key = longTermKey('user', 'realm', 'pass');
  const msg = buildRequest(Method.Allocate, [attr(Attr.Lifetime, encodeLifetime(600)), attr(Attr.Software, Buffer.from('hello'))]);
  for (const opts of [
    { integrityKey: key },
    { integrityKey: key, fingerprint: true },
    { integritySha256Key: key },
    { integritySha256Key: key, integritySha256Length: 16, fingerprint: true },
    { integrityKey: key, integritySha256Key: key, fingerprint: true },
    { fingerprint: true },
  ]) {
    const wire = encodeMessage(msg, opts);
    assert.equal(verifyMessageIntegrity(wire, key), opts.integrityKey !== undefined, JSON.stringify(opts));
    assert.equal(verifyMessageIntegritySha256(wire, key), opts.integritySha256Key !== undefined);
    assert.equal(verifyFingerprint(wire), opts.fingerprint === true);
    assert.equal(verifyMessageIntegrity(wire, Buffer.from('wrong')), false);
    assert.equal(verifyMessageIntegritySha256(wire, Buffer.from('wrong')), false);
    const t = Buffer.from(wire);
    t[27] = t[27]! ^ 0x01; // last byte of the LIFETIME value
    assert.equal(verifyMessageIntegrity(t, key), false);
    assert.equal(verifyMessageIntegritySha256(t, key), false);
    assert.equal(verifyFingerprint(t), false);
  }
  // Re-encoding a decoded signed message replaces the old trailers instead of duplicating them.
  const signed = encodeMessage(msg, { integrityKey: key, fingerprint: true });
  const again = encodeMessage(decodeMessage(signed), { integrityKey: key, fingerprint: true });
  assert.deepEqual(again, signed);
  // Without options the attribute list is encoded verbatim.
  assert.deepEqual(encodeMessage(decodeMessage(signed)), signed);
  // Verification never throws on garbage.
  for (const junk of [Buffer.alloc(0), Buffer.alloc(19), Buffer.alloc(100, 0xff), 'x' as unknown as Buffer]) {
    assert.equal(verifyMessageIntegrity(junk, key), false);
    assert.equal(verifyFingerprint(junk), false);
  }
});

test('the FINGERPRINT that follows MESSAGE-INTEGRITY does not affect integrity verification', () => {
  const key = shortTermKey('secret');
  const msg = buildSuccess(buildRequest(Method.Binding), [attr(Attr.Software, Buffer.from('s'))]);
  const withFp = encodeMessage(msg, { integrityKey: key, fingerprint: true });
  const without = encodeMessage(msg, { integrityKey: key });
  // Same MAC bytes in both: the length field is adjusted to end at MESSAGE-INTEGRITY.
  assert.deepEqual(withFp.subarray(4, without.length), without.subarray(4));
  assert.equal(verifyMessageIntegrity(withFp, key), true);
  assert.equal(verifyMessageIntegrity(without, key), true);
});

test('longTermKey is MD5(username:realm:password), SHA-256 on request', () => {
  assert.equal(longTermKey('user', 'realm', 'pass').toString('hex'), '8493fbc53ba582fb4c044c456bdc40eb');
  assert.equal(longTermKey('user', 'realm', 'pass', 'sha256').length, 32);
  assert.deepEqual(longTermKey(Buffer.from('user'), 'realm', 'pass'), longTermKey('user', 'realm', 'pass'));
  assert.deepEqual(shortTermKey('VOkJxbRl1RmTxUk/WvJxBt'), Buffer.from('VOkJxbRl1RmTxUk/WvJxBt'));
});

test('builders and accessors', () => {
  const a = newTransactionId();
  const b = newTransactionId();
  assert.equal(a.length, 12);
  assert.notDeepEqual(a, b);
  const req = buildRequest(Method.CreatePermission, [attr(Attr.XorPeerAddress, Buffer.alloc(8)), attr(Attr.XorPeerAddress, Buffer.alloc(8, 1))]);
  assert.equal(req.cls, StunClass.Request);
  assert.equal(req.transactionId.length, 12);
  assert.equal(getAttributes(req, Attr.XorPeerAddress).length, 2);
  assert.deepEqual(getAttribute(req, Attr.XorPeerAddress), Buffer.alloc(8));
  assert.equal(getAttribute(req, Attr.Data), undefined);
  assert.deepEqual(getAttributes(req, Attr.Data), []);
  const ok = buildSuccess(req);
  assert.equal(ok.cls, StunClass.SuccessResponse);
  assert.equal(ok.method, Method.CreatePermission);
  assert.deepEqual(ok.transactionId, req.transactionId);
  const err = buildError(req, ErrorCodes.StaleNonce, undefined, [attr(Attr.Nonce, Buffer.from('n'))]);
  assert.equal(err.cls, StunClass.ErrorResponse);
  assert.deepEqual(decodeErrorCode(getAttribute(err, Attr.ErrorCode)!), { code: 438, reason: 'Stale Nonce' });
  assert.deepEqual(err.attributes.map((x) => x.type), [Attr.ErrorCode, Attr.Nonce]);
  assert.deepEqual(decodeErrorCode(getAttribute(buildError(req, 403, 'nope'), Attr.ErrorCode)!), { code: 403, reason: 'nope' });
  const ind = buildIndication(Method.Send, [attr(Attr.Data, Buffer.from('x'))]);
  assert.equal(ind.cls, StunClass.Indication);
  assert.deepEqual(decodeMessage(encodeMessage(ind)), ind);
  assert.equal(methodName(Method.ChannelBind), 'ChannelBind');
  assert.equal(className(StunClass.Indication), 'Indication');
});

test('unknownComprehensionRequired lists unknown types < 0x8000 once', () => {
  const m = buildRequest(Method.Allocate, [attr(0x0019), attr(0x7777), attr(0x7777), attr(0xc001), attr(0x0031)]);
  assert.deepEqual(unknownComprehensionRequired(m, [0x0019]), [0x7777, 0x0031]);
  assert.deepEqual(unknownComprehensionRequired(m, new Set([0x0019, 0x7777, 0x0031])), []);
});
