/**
 * USERHASH (0x001E) [RFC 8489 §14.4]: SHA-256(username ":" realm), 32 bytes,
 * sent instead of USERNAME when the client wants anonymity.
 * (The RFC applies OpaqueString to both parts first; computeUserhash() hashes
 * the strings as given - apply opaqueString() from saslprep.ts if needed.)
 */
import { createHash } from 'node:crypto';
import { expectLength } from './util.js';

export const USERHASH_LENGTH = 32;

export function computeUserhash(username: string | Uint8Array, realm: string | Uint8Array): Buffer {
  return createHash('sha256').update(username).update(':').update(realm).digest();
}

export function encodeUserhash(hash: Uint8Array): Buffer {
  if (hash.length !== USERHASH_LENGTH) throw new RangeError('USERHASH must be 32 bytes');
  return Buffer.from(hash);
}

export function decodeUserhash(value: Buffer): Buffer {
  return expectLength(value, USERHASH_LENGTH, 'USERHASH');
}
