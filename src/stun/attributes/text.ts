/**
 * UTF-8 text attributes [RFC 8489 §14.3, §14.9, §14.10, §14.14, §14.16]:
 *
 * - USERNAME (0x0006): fewer than 513 bytes.
 * - REALM (0x0014), NONCE (0x0015), SOFTWARE (0x8022): fewer than 128
 *   characters, which can be as long as 763 bytes.
 * - ALTERNATE-DOMAIN (0x8003): a host name, at most 255 bytes.
 *
 * Decoding is strict: malformed UTF-8 or an over-long value throws
 * StunDecodeError. (The credential code should still hash the raw USERNAME /
 * REALM bytes it received: longTermKey() accepts Buffers for that.)
 * No SASLprep / OpaqueString is applied here; see saslprep.ts.
 */
import { StunDecodeError } from '../errors.js';
import { asBuffer, codePoints, decodeUtf8 } from './util.js';

export interface TextLimit {
  /** Largest allowed size in bytes. */
  maxBytes: number;
  /** Largest allowed number of characters (code points), if limited. */
  maxChars?: number;
}

export const TEXT_LIMITS = {
  username: { maxBytes: 512 },
  realm: { maxBytes: 763, maxChars: 127 },
  nonce: { maxBytes: 763, maxChars: 127 },
  software: { maxBytes: 763, maxChars: 127 },
  alternateDomain: { maxBytes: 255 },
} as const satisfies Record<string, TextLimit>;
export type TextKind = keyof typeof TEXT_LIMITS;

/** Limit used when no kind is given: the largest of the RFC text limits (763 bytes). */
export const GENERIC_TEXT_LIMIT: TextLimit = { maxBytes: 763 };

const NAMES: Record<TextKind | 'text', string> = {
  text: 'text attribute',
  username: 'USERNAME',
  realm: 'REALM',
  nonce: 'NONCE',
  software: 'SOFTWARE',
  alternateDomain: 'ALTERNATE-DOMAIN',
};

/**
 * UTF-8 encodes `s`, enforcing the RFC limits of `kind` (without `kind`: at
 * most 763 bytes). Throws RangeError/TypeError on bad input.
 */
export function encodeText(s: string, kind?: TextKind): Buffer {
  const name = NAMES[kind ?? 'text'];
  if (typeof s !== 'string') throw new TypeError(`${name} must be a string`);
  const limit: TextLimit = kind === undefined ? GENERIC_TEXT_LIMIT : TEXT_LIMITS[kind];
  const b = Buffer.from(s, 'utf8');
  if (b.length > limit.maxBytes) throw new RangeError(`${name} longer than ${limit.maxBytes} bytes`);
  if (limit.maxChars !== undefined && codePoints(s) > limit.maxChars) {
    throw new RangeError(`${name} must be fewer than ${limit.maxChars + 1} characters`);
  }
  return b;
}

/**
 * Strict UTF-8 decoding with the RFC limits of `kind` (without `kind`: at most
 * 763 bytes). Throws StunDecodeError on malformed UTF-8 or an over-long value.
 */
export function decodeText(value: Buffer, kind?: TextKind): string {
  const what = NAMES[kind ?? 'text'];
  const v = asBuffer(value, what);
  const limit: TextLimit = kind === undefined ? GENERIC_TEXT_LIMIT : TEXT_LIMITS[kind];
  if (v.length > limit.maxBytes) throw new StunDecodeError('bad-length', `${what} longer than ${limit.maxBytes} bytes`);
  const s = decodeUtf8(v, what);
  if (limit.maxChars !== undefined && codePoints(s) > limit.maxChars) {
    throw new StunDecodeError('bad-length', `${what} has more than ${limit.maxChars} characters`);
  }
  return s;
}

export const encodeUsername = (s: string): Buffer => encodeText(s, 'username');
export const decodeUsername = (v: Buffer): string => decodeText(v, 'username');
export const encodeRealm = (s: string): Buffer => encodeText(s, 'realm');
export const decodeRealm = (v: Buffer): string => decodeText(v, 'realm');
export const encodeNonce = (s: string): Buffer => encodeText(s, 'nonce');
export const decodeNonce = (v: Buffer): string => decodeText(v, 'nonce');
export const encodeSoftware = (s: string): Buffer => encodeText(s, 'software');
export const decodeSoftware = (v: Buffer): string => decodeText(v, 'software');
export const encodeAlternateDomain = (s: string): Buffer => encodeText(s, 'alternateDomain');
export const decodeAlternateDomain = (v: Buffer): string => decodeText(v, 'alternateDomain');
