/** LIFETIME (0x000D) [RFC 8656 §18.2]: seconds until the allocation expires, u32. */
import { decodeU32, encodeU32 } from './util.js';

export function encodeLifetime(seconds: number): Buffer {
  return encodeU32(seconds, 'LIFETIME');
}

export function decodeLifetime(value: Buffer): number {
  return decodeU32(value, 'LIFETIME');
}
