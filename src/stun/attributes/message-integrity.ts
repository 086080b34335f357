/**
 * MESSAGE-INTEGRITY (0x0008) and MESSAGE-INTEGRITY-SHA256 (0x001C)
 * [RFC 8489 §14.5, §14.6].
 *
 * MESSAGE-INTEGRITY is HMAC-SHA1 (20 bytes). MESSAGE-INTEGRITY-SHA256 is
 * HMAC-SHA256, possibly truncated to 16..32 bytes in steps of 4. Both are
 * computed over the message up to (excluding) the attribute, with the header
 * length field rewritten to end just after the attribute. message.ts does
 * that; these helpers do the hashing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { StunDecodeError } from '../errors.js';
import { asBuffer } from './util.js';

export const MESSAGE_INTEGRITY_LENGTH = 20;
export const MESSAGE_INTEGRITY_SHA256_LENGTH = 32;

/** True for a valid MESSAGE-INTEGRITY-SHA256 value length (16..32, multiple of 4). */
export function isValidSha256IntegrityLength(n: number): boolean {
  return n >= 16 && n <= 32 && n % 4 === 0;
}

/**
 * HMAC over `header` (first 20 bytes of the message with the length field
 * already adjusted) followed by `body` (the attributes preceding the integrity
 * attribute).
 */
export function computeIntegrity(algorithm: 'sha1' | 'sha256', key: Uint8Array, header: Uint8Array, body: Uint8Array): Buffer {
  return createHmac(algorithm, key).update(header).update(body).digest();
}

/** Constant-time comparison of an expected MAC with the received (possibly truncated) value. */
export function integrityEquals(computed: Buffer, received: Buffer): boolean {
  if (received.length === 0 || received.length > computed.length) return false;
  return timingSafeEqual(computed.subarray(0, received.length), received);
}

export function decodeMessageIntegrity(value: Buffer): Buffer {
  const v = asBuffer(value, 'MESSAGE-INTEGRITY');
  if (v.length !== MESSAGE_INTEGRITY_LENGTH) throw new StunDecodeError('bad-length', `MESSAGE-INTEGRITY must be 20 bytes, got ${v.length}`);
  return v;
}

export function decodeMessageIntegritySha256(value: Buffer): Buffer {
  const v = asBuffer(value, 'MESSAGE-INTEGRITY-SHA256');
  if (!isValidSha256IntegrityLength(v.length)) {
    throw new StunDecodeError('bad-length', `MESSAGE-INTEGRITY-SHA256 must be 16..32 bytes in steps of 4, got ${v.length}`);
  }
  return v;
}
