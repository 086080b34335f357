/**
 * CHANGE-REQUEST (0x0003) [RFC 5780 §7.2]: 32 bits, bit 0x4 = "change IP",
 * bit 0x2 = "change port"; other bits are ignored.
 */
import { expectLength } from './util.js';

export interface ChangeRequest {
  changeIp: boolean;
  changePort: boolean;
}

const CHANGE_IP = 0x04;
const CHANGE_PORT = 0x02;

export function encodeChangeRequest(r: ChangeRequest): Buffer {
  const out = Buffer.alloc(4);
  out[3] = (r.changeIp ? CHANGE_IP : 0) | (r.changePort ? CHANGE_PORT : 0);
  return out;
}

export function decodeChangeRequest(value: Buffer): ChangeRequest {
  const flags = expectLength(value, 4, 'CHANGE-REQUEST')[3]!;
  return { changeIp: (flags & CHANGE_IP) !== 0, changePort: (flags & CHANGE_PORT) !== 0 };
}
