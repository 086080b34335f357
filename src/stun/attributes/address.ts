/**
 * MAPPED-ADDRESS (0x0001), ALTERNATE-SERVER (0x8023) [RFC 8489 §14.1, §14.15],
 * RESPONSE-ORIGIN (0x802B), OTHER-ADDRESS (0x802C) [RFC 5780 §7.3, §7.4].
 *
 *   0                   1                   2                   3
 *   |0 0 0 0 0 0 0 0|    Family     |           Port                |
 *   |                 Address (32 bits or 128 bits)                 |
 *
 * Family 0x01 = IPv4 (value 8 bytes), 0x02 = IPv6 (value 20 bytes). The first
 * byte is reserved: sent as 0, ignored on receipt.
 */
import { AddressFamilyCode } from '../constants.js';
import { StunDecodeError } from '../errors.js';
import { formatIp, parseIp } from '../ip.js';
import { asBuffer, checkInt } from './util.js';

/** An IP address and port, as in Node's `rinfo` (family strings match `rinfo.family`). */
export interface TransportAddress {
  family: 'IPv4' | 'IPv6';
  address: string;
  port: number;
}

/** Validates `a` and returns its family code and raw address bytes (throws RangeError). */
export function addressBytes(a: TransportAddress): { family: number; bytes: Buffer } {
  checkInt(a.port, 0, 0xffff, 'port');
  const bytes = parseIp(a.address);
  if (bytes === undefined) throw new RangeError(`not an IP address: ${JSON.stringify(a.address)}`);
  const family = bytes.length === 4 ? 'IPv4' : 'IPv6';
  if (a.family !== family) throw new RangeError(`address ${a.address} is not ${a.family}`);
  return { family: family === 'IPv4' ? AddressFamilyCode.IPv4 : AddressFamilyCode.IPv6, bytes };
}

/** Splits a raw (XOR-)address value into family, port field and address field (throws StunDecodeError). */
export function splitAddressValue(value: unknown, what: string): { family: 'IPv4' | 'IPv6'; port: number; addr: Buffer } {
  const v = asBuffer(value, what);
  if (v.length < 4) throw new StunDecodeError('bad-length', `${what} too short (${v.length} bytes)`);
  const code = v[1];
  let family: 'IPv4' | 'IPv6';
  let len: number;
  if (code === AddressFamilyCode.IPv4) {
    family = 'IPv4';
    len = 4;
  } else if (code === AddressFamilyCode.IPv6) {
    family = 'IPv6';
    len = 16;
  } else {
    throw new StunDecodeError('bad-address-family', `${what} family 0x${(code ?? 0).toString(16)}`);
  }
  if (v.length !== 4 + len) throw new StunDecodeError('bad-length', `${what} ${family} value must be ${4 + len} bytes, got ${v.length}`);
  return { family, port: v.readUInt16BE(2), addr: v.subarray(4) };
}

export function encodeAddress(a: TransportAddress): Buffer {
  const { family, bytes } = addressBytes(a);
  const out = Buffer.alloc(4 + bytes.length);
  out[1] = family;
  out.writeUInt16BE(a.port, 2);
  bytes.copy(out, 4);
  return out;
}

export function decodeAddress(value: Buffer): TransportAddress {
  const { family, port, addr } = splitAddressValue(value, 'address');
  return { family, address: formatIp(addr), port };
}
