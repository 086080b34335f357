/**
 * FINGERPRINT (0x8028) [RFC 8489 §14.7]: CRC-32 of the message up to
 * (excluding) this attribute, with the header length covering the attribute,
 * XORed with 0x5354554e. Must be the last attribute.
 */
import { FINGERPRINT_XOR } from '../constants.js';
import { crc32 } from '../crc32.js';
import { decodeU32 } from './util.js';

export const FINGERPRINT_LENGTH = 4;

/** FINGERPRINT value for `header` (length already adjusted) followed by `body`. */
export function computeFingerprint(header: Uint8Array, body: Uint8Array): number {
  return (crc32(body, crc32(header)) ^ FINGERPRINT_XOR) >>> 0;
}

export function decodeFingerprint(value: Buffer): number {
  return decodeU32(value, 'FINGERPRINT');
}
