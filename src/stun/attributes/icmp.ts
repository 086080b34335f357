/**
 * ICMP (0x8004) [RFC 8656 §18.13]: carried in Data indications to report an
 * ICMP error received from a peer.
 *
 *   |  Reserved                     |  ICMP Type  |  ICMP Code      |
 *   |                          Error Data                           |
 */
import { checkInt, expectLength } from './util.js';

export interface IcmpInfo {
  type: number;
  code: number;
  errorData: number;
}

export function encodeIcmp(i: IcmpInfo): Buffer {
  checkInt(i.type, 0, 255, 'ICMP type');
  checkInt(i.code, 0, 255, 'ICMP code');
  checkInt(i.errorData, 0, 0xffffffff, 'ICMP error data');
  const out = Buffer.alloc(8);
  out[2] = i.type;
  out[3] = i.code;
  out.writeUInt32BE(i.errorData, 4);
  return out;
}

export function decodeIcmp(value: Buffer): IcmpInfo {
  const v = expectLength(value, 8, 'ICMP');
  return { type: v[2]!, code: v[3]!, errorData: v.readUInt32BE(4) };
}
