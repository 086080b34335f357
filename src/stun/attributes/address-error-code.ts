/**
 * ADDRESS-ERROR-CODE (0x8001) [RFC 8656 §18.13]: which address family of a
 * dual-stack Allocate failed, and why.
 *
 *   |  Family       |    Reserved             |Class|     Number    |
 *   |      Reason Phrase (variable)                                ..
 */
import { AddressFamilyCode, defaultReason } from '../constants.js';
import { StunDecodeError } from '../errors.js';
import { parseCodeAndReason, reasonBytes } from './error-code.js';
import { asBuffer } from './util.js';

export interface AddressErrorCode {
  family: 'IPv4' | 'IPv6';
  code: number;
  reason: string;
}

export function encodeAddressErrorCode(family: 'IPv4' | 'IPv6', code: number, reason: string = defaultReason(code)): Buffer {
  if (family !== 'IPv4' && family !== 'IPv6') throw new RangeError(`bad address family ${String(family)}`);
  const r = reasonBytes(code, reason);
  const out = Buffer.alloc(4 + r.length);
  out[0] = family === 'IPv4' ? AddressFamilyCode.IPv4 : AddressFamilyCode.IPv6;
  out[2] = Math.floor(code / 100);
  out[3] = code % 100;
  r.copy(out, 4);
  return out;
}

export function decodeAddressErrorCode(value: Buffer): AddressErrorCode {
  const v = asBuffer(value, 'ADDRESS-ERROR-CODE');
  const { code, reason } = parseCodeAndReason(v, 'ADDRESS-ERROR-CODE');
  const f = v[0];
  if (f !== AddressFamilyCode.IPv4 && f !== AddressFamilyCode.IPv6) {
    throw new StunDecodeError('bad-address-family', `ADDRESS-ERROR-CODE family 0x${(f ?? 0).toString(16)}`);
  }
  return { family: f === AddressFamilyCode.IPv4 ? 'IPv4' : 'IPv6', code, reason };
}
