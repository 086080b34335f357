/**
 * EVEN-PORT (0x0018) [RFC 8656 §18.8]: one byte; the top bit R asks the
 * server to reserve the next-higher port too. The other 7 bits are RFFU.
 */
import { expectLength } from './util.js';

export function encodeEvenPort(reserveNext: boolean): Buffer {
  return Buffer.from([reserveNext ? 0x80 : 0]);
}

/** Returns the R ("reserve next port") flag. */
export function decodeEvenPort(value: Buffer): boolean {
  return (expectLength(value, 1, 'EVEN-PORT')[0]! & 0x80) !== 0;
}
