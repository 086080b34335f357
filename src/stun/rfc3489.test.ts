import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeChangeRequest } from './attributes/change-request.js';
import { isStunMessage } from './message.js';
import { Classic, encodeLegacyBindingResponse, isLegacyBinding, legacyChangeRequest } from './rfc3489.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
/** `stun 127.0.0.1:PORT -v` (stun-client 0.97), as in vectors.test.ts: CHANGE-REQUEST with no flags. */
const STUN_CLIENT = hex('0001000801cb8410cd82e620be634c1e9b016a390003000400000000');
const TID = STUN_CLIENT.subarray(4, 20);

const request = (...attrs: Buffer[]): Buffer => {
  const body = Buffer.concat(attrs);
  const head = Buffer.alloc(4);
  head.writeUInt16BE(Classic.BindingRequest, 0);
  head.writeUInt16BE(body.length, 2);
  return Buffer.concat([head, TID, body]);
};
const changeAttr = (value: Buffer): Buffer => Buffer.concat([hex('0003'), Buffer.from([value.length >> 8, value.length & 0xff]), value]);

test('isLegacyBinding: stun-client requests yes, RFC 8489 / truncated / other types no', () => {
  assert.equal(isLegacyBinding(STUN_CLIENT), true);
  assert.equal(isStunMessage(STUN_CLIENT), false);
  assert.equal(isLegacyBinding(request()), true); // no attributes at all
  assert.equal(isLegacyBinding(STUN_CLIENT.subarray(0, 27)), false); // length field says 8, 7 present
  assert.equal(isLegacyBinding(Buffer.concat([STUN_CLIENT, Buffer.alloc(4)])), false); // trailing bytes
  assert.equal(isLegacyBinding(STUN_CLIENT.subarray(0, 19)), false);
  const response = Buffer.from(STUN_CLIENT);
  response.writeUInt16BE(0x0101, 0);
  assert.equal(isLegacyBinding(response), false);
  assert.equal(isLegacyBinding(hex('000100002112a4429610a89e31fb167f6016d24a')), true); // an RFC 8489 Binding is also well-formed classic: dispatch tries STUN first
});

test('legacyChangeRequest reads the change-IP / change-port bits', () => {
  assert.deepEqual(legacyChangeRequest(STUN_CLIENT), { changeIp: false, changePort: false });
  assert.deepEqual(legacyChangeRequest(request()), { changeIp: false, changePort: false });
  for (const changeIp of [false, true]) for (const changePort of [false, true]) {
    assert.deepEqual(legacyChangeRequest(request(changeAttr(encodeChangeRequest({ changeIp, changePort })))), { changeIp, changePort });
  }
  // Other bits ignored; a wrong-length CHANGE-REQUEST skipped; the last one counts; other attributes walked over.
  assert.deepEqual(legacyChangeRequest(request(changeAttr(hex('fffffff9')))), { changeIp: false, changePort: false });
  assert.deepEqual(legacyChangeRequest(request(changeAttr(hex('0000000006')))), { changeIp: false, changePort: false });
  assert.deepEqual(legacyChangeRequest(request(changeAttr(hex('00000004')), changeAttr(hex('00000002')))), { changeIp: false, changePort: true });
  assert.deepEqual(legacyChangeRequest(request(hex('8022 0003 616263'), changeAttr(hex('00000006')))), { changeIp: true, changePort: true });
  // An attribute running past the end stops the walk without throwing.
  assert.deepEqual(legacyChangeRequest(Buffer.concat([request(), hex('0003 0004 0000')])), { changeIp: false, changePort: false });
});

test('classic Binding Response: MAPPED-, SOURCE- and CHANGED-ADDRESS, byte for byte', () => {
  const mapped = { address: '127.0.0.1', port: 40000 };
  const source = { address: '127.0.0.1', port: 3478 };
  const changed = { address: '127.0.0.2', port: 3479 };
  assert.deepEqual(
    encodeLegacyBindingResponse(TID, mapped, source, changed),
    hex(`0101 0024 ${TID.toString('hex')}
         0001 0008 0001 9c40 7f000001
         0004 0008 0001 0d96 7f000001
         0005 0008 0001 0d97 7f000002`),
  );
  // Without an alternate address: no CHANGED-ADDRESS.
  assert.deepEqual(
    encodeLegacyBindingResponse(TID, { address: '203.0.113.9', port: 1 }, { address: '198.51.100.1', port: 65535 }),
    hex(`0101 0018 ${TID.toString('hex')} 0001 0008 0001 0001 cb007109 0004 0008 0001 ffff c6336401`),
  );
});

test('classic Binding Response refuses what RFC 3489 cannot carry', () => {
  const a = { address: '127.0.0.1', port: 1 };
  assert.throws(() => encodeLegacyBindingResponse(TID.subarray(0, 12), a, a), RangeError);
  assert.throws(() => encodeLegacyBindingResponse(TID, { address: '::1', port: 1 }, a), RangeError);
  assert.throws(() => encodeLegacyBindingResponse(TID, a, { address: 'localhost', port: 1 }), RangeError);
  assert.throws(() => encodeLegacyBindingResponse(TID, a, { address: '127.0.0.1', port: 65536 }), RangeError);
});
