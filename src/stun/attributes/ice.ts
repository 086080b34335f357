/**
 * ICE attributes [RFC 8445 §16.1]:
 * - PRIORITY (0x0024): u32.
 * - USE-CANDIDATE (0x0025): empty.
 * - ICE-CONTROLLED (0x8029) / ICE-CONTROLLING (0x802A): a 64-bit tie-breaker (bigint).
 */
import { decodeU32, encodeU32, expectLength } from './util.js';

export function encodePriority(priority: number): Buffer {
  return encodeU32(priority, 'PRIORITY');
}

export function decodePriority(value: Buffer): number {
  return decodeU32(value, 'PRIORITY');
}

export function encodeUseCandidate(): Buffer {
  return Buffer.alloc(0);
}

export function decodeUseCandidate(value: Buffer): true {
  expectLength(value, 0, 'USE-CANDIDATE');
  return true;
}

function encodeTieBreaker(tieBreaker: bigint, what: string): Buffer {
  if (typeof tieBreaker !== 'bigint' || tieBreaker < 0n || tieBreaker > 0xffffffffffffffffn) {
    throw new RangeError(`${what} tie-breaker must be a bigint in [0, 2^64)`);
  }
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(tieBreaker, 0);
  return out;
}

export function encodeIceControlled(tieBreaker: bigint): Buffer {
  return encodeTieBreaker(tieBreaker, 'ICE-CONTROLLED');
}

export function decodeIceControlled(value: Buffer): bigint {
  return expectLength(value, 8, 'ICE-CONTROLLED').readBigUInt64BE(0);
}

export function encodeIceControlling(tieBreaker: bigint): Buffer {
  return encodeTieBreaker(tieBreaker, 'ICE-CONTROLLING');
}

export function decodeIceControlling(value: Buffer): bigint {
  return expectLength(value, 8, 'ICE-CONTROLLING').readBigUInt64BE(0);
}

