/**
 * Datagrams captured from real clients on 127.0.0.1 with
 * src/stun/tools/capture-vectors.mjs (stun-client 0.97 and coturn 4.6.1's
 * turnutils_stunclient / turnutils_uclient, Debian packages), talking to a
 * stand-in server built on this codec. The uclient was run with
 * `-y -n 1 -u user -w pass`; the stand-in answered REALM "capture.test",
 * NONCE "0123456789abcdef", so its requests verify with
 * longTermKey('user', 'capture.test', 'pass'). coturn's clients in turn
 * accepted the stand-in's responses (MESSAGE-INTEGRITY, FINGERPRINT,
 * XOR-MAPPED/RELAYED-ADDRESS, OTHER-ADDRESS), which is why they went on to
 * send the RFC 5780 and Refresh/ChannelBind/CreatePermission requests below.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Attr, Method, StunClass } from './constants.js';
import { StunDecodeError } from './errors.js';
import { decodeMessage, getAttribute, isStunMessage, longTermKey, verifyFingerprint, verifyMessageIntegrity } from './message.js';
import { decodeChannelData, isChannelData } from './channel-data.js';
import { decodeChangeRequest } from './attributes/change-request.js';
import { decodeResponsePort } from './attributes/response-port.js';
import { decodeRequestedTransport } from './attributes/requested-transport.js';
import { decodeLifetime } from './attributes/lifetime.js';
import { decodeEvenPort } from './attributes/even-port.js';
import { decodeReservationToken } from './attributes/reservation-token.js';
import { decodeNonce, decodeRealm, decodeUsername } from './attributes/text.js';
import { decodeXorAddress } from './attributes/xor-address.js';
import { decodeChannelNumber } from './attributes/channel-number.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const KEY = longTermKey('user', 'capture.test', 'pass');

const V = {
  /** `stun 127.0.0.1:PORT -v` (stun-client 0.97): an RFC 3489 Binding request, 16-byte transaction ID, no magic cookie. */
  stunClassic: hex('0001000801cb8410cd82e620be634c1e9b016a390003000400000000'),
  /** `turnutils_stunclient -p PORT 127.0.0.1`: first request, a bare Binding request. */
  coturnBinding: hex('000100002112a4429610a89e31fb167f6016d24a'),
  /** Its second request (RFC 5780 behaviour test): RESPONSE-PORT (4-byte form) + CHANGE-REQUEST change-IP|change-port. */
  coturnBinding5780: hex('000100102112a442004a86f636b70889c03ccf8200270004bf8300000003000400000006'),
  /** `turnutils_uclient`: first Allocate, unauthenticated (REQUESTED-TRANSPORT, LIFETIME, EVEN-PORT, FINGERPRINT). */
  uclientAllocate: hex('000300202112a442ce2549a818665412a3d1feb10019000411000000000d00040000030900180001800000008028000474cc0fe4'),
  /** The same Allocate after 401, with USERNAME, NONCE, REALM, MESSAGE-INTEGRITY, FINGERPRINT. */
  uclientAllocateAuth: hex(
    '000300642112a442795110434793c6b7facf09a30019000411000000000d0004000003090018000180000000000600047573657200150010303132333435363738396162636465660014000c636170747572652e7465737400080014452d62fb73c0574728841f45af37620ee4fec58080280004cb9a252f',
  ),
  uclientRefresh: hex(
    '000400542112a442a5cbc477da4312da14063c31000d000400000309000600047573657200150010303132333435363738396162636465660014000c636170747572652e746573740008001482dfbc56397dc26df3bafaec97dc5a37fae785d9802800047b065b11',
  ),
  /** Second allocation of the pair, with RESERVATION-TOKEN (all zero: the stand-in sent none). */
  uclientAllocateReservation: hex(
    '000300682112a442f03c8da5bfee3c0225c723510019000411000000000d000400000309002200080000000000000000000600047573657200150010303132333435363738396162636465660014000c636170747572652e7465737400080014d1e337c0e4526e447994b13ba74eccbe9ac42cf1802800041c1d98fc',
  ),
  /** ChannelBind with channel 0x5087: coturn's client still uses the RFC 5766 range 0x4000-0x7FFF. */
  uclientChannelBind: hex(
    '000900602112a442bba4cfd8b91711551c4ed399000c000450870000001200080001e25d5e12a443000600047573657200150010303132333435363738396162636465660014000c636170747572652e7465737400080014f6472fe3adff1fbc975f20ba64bd406d9152b4828028000400932285',
  ),
  uclientCreatePermission: hex(
    '000800582112a4423225e5a3375c75a23ef1f2b3001200080001e25d5e12a443000600047573657200150010303132333435363738396162636465660014000c636170747572652e74657374000800142cb496cb41b759bd3ab220392f56236710f933ad802800048141d14d',
  ),
  /** ChannelData on channel 0x458f, 100 bytes of payload. */
  uclientChannelData: hex(
    '458f006400000000070707072e12000000000000070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707',
  ),
  /** ChannelData on channel 0x577a: reserved by RFC 8656 (valid in RFC 5766). */
  uclientChannelDataLegacy: hex(
    '577a00640000000007070707ca0a000000000000070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707',
  ),
};

test('stun-client 0.97 sends RFC 3489 requests: not accepted as RFC 8489 STUN', () => {
  assert.equal(isStunMessage(V.stunClassic), false);
  assert.throws(() => decodeMessage(V.stunClassic), (e: unknown) => e instanceof StunDecodeError && e.reason === 'bad-cookie');
  assert.equal(isChannelData(V.stunClassic), false);
});

test('turnutils_stunclient Binding requests (plain and RFC 5780)', () => {
  const plain = decodeMessage(V.coturnBinding);
  assert.equal(plain.method, Method.Binding);
  assert.equal(plain.cls, StunClass.Request);
  assert.deepEqual(plain.attributes, []);
  assert.equal(verifyFingerprint(V.coturnBinding), false);

  const m = decodeMessage(V.coturnBinding5780);
  assert.equal(m.method, Method.Binding);
  assert.equal(m.cls, StunClass.Request);
  assert.deepEqual(m.attributes.map((a) => a.type), [Attr.ResponsePort, Attr.ChangeRequest]);
  assert.equal(getAttribute(m, Attr.ResponsePort)!.length, 4);
  assert.equal(decodeResponsePort(getAttribute(m, Attr.ResponsePort)!), 0xbf83);
  assert.deepEqual(decodeChangeRequest(getAttribute(m, Attr.ChangeRequest)!), { changeIp: true, changePort: true });
});

test('turnutils_uclient Allocate: unauthenticated, then with long-term credentials', () => {
  const first = decodeMessage(V.uclientAllocate);
  assert.equal(first.method, Method.Allocate);
  assert.equal(first.cls, StunClass.Request);
  assert.equal(verifyFingerprint(V.uclientAllocate), true);
  assert.equal(getAttribute(first, Attr.MessageIntegrity), undefined);
  assert.equal(decodeRequestedTransport(getAttribute(first, Attr.RequestedTransport)!), 17);
  assert.equal(decodeLifetime(getAttribute(first, Attr.Lifetime)!), 777);
  assert.equal(decodeEvenPort(getAttribute(first, Attr.EvenPort)!), true);

  const auth = decodeMessage(V.uclientAllocateAuth);
  assert.equal(auth.method, Method.Allocate);
  assert.equal(decodeUsername(getAttribute(auth, Attr.Username)!), 'user');
  assert.equal(decodeRealm(getAttribute(auth, Attr.Realm)!), 'capture.test');
  assert.equal(decodeNonce(getAttribute(auth, Attr.Nonce)!), '0123456789abcdef');
  assert.equal(verifyFingerprint(V.uclientAllocateAuth), true);
  assert.equal(verifyMessageIntegrity(V.uclientAllocateAuth, KEY), true);
  assert.equal(verifyMessageIntegrity(V.uclientAllocateAuth, longTermKey('user', 'capture.test', 'wrong')), false);

  const res = decodeMessage(V.uclientAllocateReservation);
  assert.deepEqual(decodeReservationToken(getAttribute(res, Attr.ReservationToken)!), Buffer.alloc(8));
  assert.equal(verifyMessageIntegrity(V.uclientAllocateReservation, KEY), true);
  assert.equal(verifyFingerprint(V.uclientAllocateReservation), true);
});

test('turnutils_uclient Refresh, CreatePermission and ChannelBind verify', () => {
  for (const [raw, method] of [
    [V.uclientRefresh, Method.Refresh],
    [V.uclientCreatePermission, Method.CreatePermission],
    [V.uclientChannelBind, Method.ChannelBind],
  ] as const) {
    const m = decodeMessage(raw);
    assert.equal(m.method, method);
    assert.equal(m.cls, StunClass.Request);
    assert.equal(verifyMessageIntegrity(raw, KEY), true);
    assert.equal(verifyFingerprint(raw), true);
  }
  const cp = decodeMessage(V.uclientCreatePermission);
  assert.deepEqual(decodeXorAddress(getAttribute(cp, Attr.XorPeerAddress)!, cp.transactionId), { family: 'IPv4', address: '127.0.0.1', port: 49999 });
  const cb = decodeMessage(V.uclientChannelBind);
  assert.deepEqual(decodeXorAddress(getAttribute(cb, Attr.XorPeerAddress)!, cb.transactionId), { family: 'IPv4', address: '127.0.0.1', port: 49999 });
  // 0x5087 is outside RFC 8656's 0x4000-0x4FFF: a strict server answers 400.
  assert.throws(() => decodeChannelNumber(getAttribute(cb, Attr.ChannelNumber)!), (e: unknown) => e instanceof StunDecodeError && e.reason === 'bad-channel-number');
});

test('turnutils_uclient ChannelData', () => {
  assert.equal(isStunMessage(V.uclientChannelData), false);
  assert.equal(isChannelData(V.uclientChannelData), true);
  const cd = decodeChannelData(V.uclientChannelData);
  assert.equal(cd.channel, 0x458f);
  assert.equal(cd.data.length, 100);
  // RFC 5766-range channel (0x5000-0x7FFF) is rejected under RFC 8656.
  assert.equal(isChannelData(V.uclientChannelDataLegacy), false);
  assert.throws(() => decodeChannelData(V.uclientChannelDataLegacy), StunDecodeError);
});
