/**
 * REQUESTED-ADDRESS-FAMILY (0x0017) and ADDITIONAL-ADDRESS-FAMILY (0x8000)
 * [RFC 8656 §18.10, §18.11]: one family byte (0x01 IPv4, 0x02 IPv6) and 3
 * RFFU bytes.
 *
 * ADDITIONAL-ADDRESS-FAMILY may only carry IPv6 (the server must answer 400
 * otherwise, §7.2), so decodeAdditionalAddressFamily() rejects IPv4 with a
 * StunDecodeError.
 */
import { AddressFamilyCode } from '../constants.js';
import { StunDecodeError } from '../errors.js';
import { expectLength } from './util.js';

export type AddressFamily = 'IPv4' | 'IPv6';

function encodeFamily(family: AddressFamily): Buffer {
  if (family !== 'IPv4' && family !== 'IPv6') throw new RangeError(`bad address family ${String(family)}`);
  const out = Buffer.alloc(4);
  out[0] = family === 'IPv4' ? AddressFamilyCode.IPv4 : AddressFamilyCode.IPv6;
  return out;
}

function decodeFamily(value: Buffer, what: string): AddressFamily {
  const f = expectLength(value, 4, what)[0];
  if (f === AddressFamilyCode.IPv4) return 'IPv4';
  if (f === AddressFamilyCode.IPv6) return 'IPv6';
  throw new StunDecodeError('bad-address-family', `${what} 0x${(f ?? 0).toString(16)}`);
}

export function encodeRequestedAddressFamily(family: AddressFamily): Buffer {
  return encodeFamily(family);
}

export function decodeRequestedAddressFamily(value: Buffer): AddressFamily {
  return decodeFamily(value, 'REQUESTED-ADDRESS-FAMILY');
}

export function encodeAdditionalAddressFamily(family: 'IPv6' = 'IPv6'): Buffer {
  if (family !== 'IPv6') throw new RangeError('ADDITIONAL-ADDRESS-FAMILY must be IPv6');
  return encodeFamily(family);
}

export function decodeAdditionalAddressFamily(value: Buffer): 'IPv6' {
  const f = decodeFamily(value, 'ADDITIONAL-ADDRESS-FAMILY');
  if (f !== 'IPv6') throw new StunDecodeError('bad-address-family', 'ADDITIONAL-ADDRESS-FAMILY must be IPv6');
  return f;
}
