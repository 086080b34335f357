/** DONT-FRAGMENT (0x001A) [RFC 8656 §18.8]: a flag attribute with an empty value. */
import { expectLength } from './util.js';

export function encodeDontFragment(): Buffer {
  return Buffer.alloc(0);
}

export function decodeDontFragment(value: Buffer): true {
  expectLength(value, 0, 'DONT-FRAGMENT');
  return true;
}
