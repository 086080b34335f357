/** CONNECTION-ID (0x002A) [RFC 6062 §6.2.1]: u32 identifying a TURN-TCP peer connection. */
import { decodeU32, encodeU32 } from './util.js';

export function encodeConnectionId(id: number): Buffer {
  return encodeU32(id, 'CONNECTION-ID');
}

export function decodeConnectionId(value: Buffer): number {
  return decodeU32(value, 'CONNECTION-ID');
}
