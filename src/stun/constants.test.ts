import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Attr, ErrorCodes, HEADER_LENGTH, MAGIC_COOKIE, Method, StunClass, attrName, className, defaultReason, isComprehensionRequired, methodName } from './constants.js';

test('header constants', () => {
  assert.equal(MAGIC_COOKIE, 0x2112a442);
  assert.equal(HEADER_LENGTH, 20);
  assert.deepEqual({ ...StunClass }, { Request: 0, Indication: 1, SuccessResponse: 2, ErrorResponse: 3 });
});

test('method and attribute code points (IANA STUN registry)', () => {
  assert.equal(Method.Binding, 0x001);
  assert.equal(Method.Allocate, 0x003);
  assert.equal(Method.Refresh, 0x004);
  assert.equal(Method.Send, 0x006);
  assert.equal(Method.Data, 0x007);
  assert.equal(Method.CreatePermission, 0x008);
  assert.equal(Method.ChannelBind, 0x009);
  const expected: Record<string, number> = {
    MappedAddress: 0x0001, ChangeRequest: 0x0003, Username: 0x0006, MessageIntegrity: 0x0008, ErrorCode: 0x0009,
    UnknownAttributes: 0x000a, ChannelNumber: 0x000c, Lifetime: 0x000d, XorPeerAddress: 0x0012, Data: 0x0013, Realm: 0x0014,
    Nonce: 0x0015, XorRelayedAddress: 0x0016, RequestedAddressFamily: 0x0017, EvenPort: 0x0018, RequestedTransport: 0x0019,
    DontFragment: 0x001a, MessageIntegritySha256: 0x001c, PasswordAlgorithm: 0x001d, Userhash: 0x001e, XorMappedAddress: 0x0020,
    ReservationToken: 0x0022, Priority: 0x0024, UseCandidate: 0x0025, Padding: 0x0026, ResponsePort: 0x0027,
    PasswordAlgorithms: 0x8002, AlternateDomain: 0x8003, Software: 0x8022, AlternateServer: 0x8023, Fingerprint: 0x8028,
    IceControlled: 0x8029, IceControlling: 0x802a, ResponseOrigin: 0x802b, OtherAddress: 0x802c, AdditionalAddressFamily: 0x8000,
    AddressErrorCode: 0x8001, ConnectionId: 0x002a,
  };
  for (const [k, v] of Object.entries(expected)) assert.equal((Attr as Record<string, number>)[k], v, k);
  const values = Object.values(Attr);
  assert.equal(new Set(values).size, values.length, 'no duplicate code points');
  assert.equal(isComprehensionRequired(Attr.XorPeerAddress), true);
  assert.equal(isComprehensionRequired(Attr.Software), false);
});

test('error codes and reason phrases', () => {
  assert.equal(ErrorCodes.TryAlternate, 300);
  assert.equal(ErrorCodes.Unauthorized, 401);
  assert.equal(ErrorCodes.AllocationMismatch, 437);
  assert.equal(ErrorCodes.InsufficientCapacity, 508);
  assert.equal(defaultReason(400), 'Bad Request');
  assert.equal(defaultReason(401), 'Unauthenticated'); // RFC 8489 wording
  assert.equal(defaultReason(420), 'Unknown Attribute');
  assert.equal(defaultReason(438), 'Stale Nonce');
  assert.equal(defaultReason(440), 'Address Family not Supported');
  assert.equal(defaultReason(442), 'Unsupported Transport Protocol');
  assert.equal(defaultReason(443), 'Peer Address Family Mismatch');
  assert.equal(defaultReason(486), 'Allocation Quota Reached');
  assert.equal(defaultReason(508), 'Insufficient Capacity');
  assert.equal(defaultReason(599), '');
  for (const code of Object.values(ErrorCodes)) assert.notEqual(defaultReason(code), '', String(code));
});

test('names for logs', () => {
  assert.equal(methodName(Method.CreatePermission), 'CreatePermission');
  assert.equal(methodName(0xabc), '0xabc');
  assert.equal(className(StunClass.ErrorResponse), 'ErrorResponse');
  assert.equal(className(7), 'class(7)');
  assert.equal(attrName(Attr.XorRelayedAddress), 'XorRelayedAddress');
  assert.equal(attrName(0xc057), '0xc057');
});
