/**
 * PADDING (0x0026) [RFC 5780 §7.6]: arbitrary bytes that make a Binding
 * message bigger (to test fragmentation). Content is meaningless.
 */
import { asBuffer, checkInt } from './util.js';

export function encodePadding(length: number): Buffer {
  checkInt(length, 0, 0xffff, 'PADDING length');
  return Buffer.alloc(length);
}

/** Returns the padding length. */
export function decodePadding(value: Buffer): number {
  return asBuffer(value, 'PADDING').length;
}
