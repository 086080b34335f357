/** The public surface other modules are written against. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as stun from './index.js';

test('index re-exports the agreed API', () => {
  const functions = [
    // constants
    'defaultReason', 'methodName', 'className', 'attrName', 'isComprehensionRequired',
    // message
    'isStunMessage', 'decodeMessage', 'encodeMessage', 'newTransactionId', 'getAttribute', 'getAttributes', 'buildRequest',
    'buildSuccess', 'buildError', 'buildIndication', 'verifyMessageIntegrity', 'verifyMessageIntegritySha256', 'verifyFingerprint',
    'longTermKey', 'shortTermKey', 'attr', 'unknownComprehensionRequired', 'encodeMessageType', 'decodeMessageType',
    // channel data, framing, credentials
    'isChannelData', 'decodeChannelData', 'encodeChannelData', 'writeChannelDataHeader', 'nextFrameLength', 'splitFrames',
    // RFC 3489 classic Binding
    'isLegacyBinding', 'legacyChangeRequest', 'encodeLegacyBindingResponse',
    'restUsername', 'restPassword', 'parseRestUsername', 'verifyRestCredential', 'saslprep', 'opaqueString',
    'parseIp', 'formatIp', 'unmapIPv4', 'crc32',
    // attributes
    'encodeXorAddress', 'decodeXorAddress', 'encodeAddress', 'decodeAddress', 'encodeErrorCode', 'decodeErrorCode',
    'encodeAddressErrorCode', 'decodeAddressErrorCode', 'encodeLifetime', 'decodeLifetime', 'encodeChannelNumber',
    'decodeChannelNumber', 'isValidChannelNumber', 'encodeRequestedTransport', 'decodeRequestedTransport', 'encodeChangeRequest',
    'decodeChangeRequest', 'encodeUnknownAttributes', 'decodeUnknownAttributes', 'encodeText', 'decodeText', 'encodeUsername',
    'decodeUsername', 'encodeRealm', 'decodeRealm', 'encodeNonce', 'decodeNonce', 'encodeSoftware', 'decodeSoftware',
    'encodeEvenPort', 'decodeEvenPort', 'encodeRequestedAddressFamily', 'decodeRequestedAddressFamily',
    'encodeAdditionalAddressFamily', 'decodeAdditionalAddressFamily', 'encodeData', 'decodeData', 'encodePriority',
    'decodePriority', 'encodeIceControlled', 'decodeIceControlled', 'encodeIceControlling', 'decodeIceControlling',
    'encodeUseCandidate', 'decodeUseCandidate', 'encodeResponsePort', 'decodeResponsePort', 'encodePadding', 'decodePadding',
    'encodeReservationToken', 'decodeReservationToken', 'encodeConnectionId', 'decodeConnectionId', 'encodeDontFragment',
    'decodeDontFragment', 'encodePasswordAlgorithm', 'decodePasswordAlgorithm', 'encodePasswordAlgorithms',
    'decodePasswordAlgorithms', 'computeUserhash', 'encodeUserhash', 'decodeUserhash', 'encodeIcmp', 'decodeIcmp',
    'decodeMessageIntegrity', 'decodeMessageIntegritySha256', 'decodeFingerprint',
  ];
  const exported = stun as unknown as Record<string, unknown>;
  for (const f of functions) assert.equal(typeof exported[f], 'function', f);
  assert.equal(stun.MAGIC_COOKIE, 0x2112a442);
  assert.equal(stun.HEADER_LENGTH, 20);
  assert.equal(typeof stun.StunDecodeError, 'function');
  const e = new stun.StunDecodeError('bad-cookie', 'detail');
  assert.ok(e instanceof Error);
  assert.equal(e.reason, 'bad-cookie');
  assert.equal(e.name, 'StunDecodeError');
  assert.equal(e.message, 'bad-cookie: detail');
  for (const o of ['StunClass', 'Method', 'Attr', 'ErrorCodes', 'TransportProtocol', 'PasswordAlgorithmId', 'TEXT_LIMITS']) {
    assert.equal(typeof exported[o], 'object', o);
  }
});
