/** Small helpers shared by the attribute codecs (internal). */
import { StunDecodeError } from '../errors.js';

/** Returns `v` as a Buffer (wrapping a plain Uint8Array without copying) or throws StunDecodeError. */
export function asBuffer(v: unknown, what: string): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  throw new StunDecodeError('not-a-buffer', `${what} value is not a Buffer`);
}

/** Throws StunDecodeError('bad-length') unless the value is exactly `n` bytes. */
export function expectLength(v: unknown, n: number, what: string): Buffer {
  const b = asBuffer(v, what);
  if (b.length !== n) throw new StunDecodeError('bad-length', `${what} must be ${n} bytes, got ${b.length}`);
  return b;
}

/** Throws RangeError unless `n` is an integer in [min, max]. */
export function checkInt(n: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(n) || n < min || n > max) throw new RangeError(`${what} must be an integer in [${min}, ${max}], got ${n}`);
}

/** A 4-byte big-endian unsigned 32-bit value. */
export function encodeU32(n: number, what: string): Buffer {
  checkInt(n, 0, 0xffffffff, what);
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}

export function decodeU32(v: unknown, what: string): number {
  return expectLength(v, 4, what).readUInt32BE(0);
}

/** Strict UTF-8 decoding: throws StunDecodeError('bad-utf8') on malformed input. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
export function decodeUtf8(b: Buffer, what: string): string {
  try {
    return strictUtf8.decode(b);
  } catch {
    throw new StunDecodeError('bad-utf8', `${what} is not valid UTF-8`);
  }
}

/** Number of Unicode code points ("characters" in the RFCs' length limits). */
export function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
