/**
 * ERROR-CODE (0x0009) [RFC 8489 §14.8].
 *
 *   |           Reserved, should be 0         |Class|     Number    |
 *   |      Reason Phrase (variable)                                ..
 *
 * Class is the hundreds digit (3..6), Number the code modulo 100 (0..99).
 * The reason phrase is UTF-8, fewer than 128 characters (at most 763 bytes).
 */
import { defaultReason } from '../constants.js';
import { StunDecodeError } from '../errors.js';
import { asBuffer, checkInt, codePoints } from './util.js';

export const MAX_REASON_BYTES = 763;
export const MAX_REASON_CHARS = 127;

/** Validates the code and reason and returns the encoded reason (internal, shared with ADDRESS-ERROR-CODE). */
export function reasonBytes(code: number, reason: string): Buffer {
  checkInt(code, 300, 699, 'error code');
  if (typeof reason !== 'string') throw new TypeError('reason must be a string');
  const bytes = Buffer.from(reason, 'utf8');
  if (bytes.length > MAX_REASON_BYTES || codePoints(reason) > MAX_REASON_CHARS) {
    throw new RangeError(`reason phrase too long (must be < 128 characters, <= ${MAX_REASON_BYTES} bytes)`);
  }
  return bytes;
}

/** Parses class/number at bytes 2..3 and the reason from byte 4 on (internal, shared with ADDRESS-ERROR-CODE). */
export function parseCodeAndReason(v: Buffer, what: string): { code: number; reason: string } {
  if (v.length < 4) throw new StunDecodeError('bad-length', `${what} must be at least 4 bytes, got ${v.length}`);
  const cls = v[2]! & 0x07;
  const num = v[3]!;
  if (cls < 3 || cls > 6) throw new StunDecodeError('bad-error-code', `${what} class ${cls} not in 3..6`);
  if (num > 99) throw new StunDecodeError('bad-error-code', `${what} number ${num} not in 0..99`);
  if (v.length - 4 > MAX_REASON_BYTES) throw new StunDecodeError('bad-length', `${what} reason phrase longer than ${MAX_REASON_BYTES} bytes`);
  // The reason phrase is diagnostic only (RFC 8489 §14.8): decode leniently
  // (U+FFFD for malformed UTF-8) rather than lose the code.
  return { code: cls * 100 + num, reason: v.toString('utf8', 4) };
}

export function encodeErrorCode(code: number, reason: string = defaultReason(code)): Buffer {
  const r = reasonBytes(code, reason);
  const out = Buffer.alloc(4 + r.length);
  out[2] = Math.floor(code / 100);
  out[3] = code % 100;
  r.copy(out, 4);
  return out;
}

export function decodeErrorCode(value: Buffer): { code: number; reason: string } {
  return parseCodeAndReason(asBuffer(value, 'ERROR-CODE'), 'ERROR-CODE');
}
