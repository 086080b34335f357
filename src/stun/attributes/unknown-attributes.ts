/** UNKNOWN-ATTRIBUTES (0x000A) [RFC 8489 §14.9]: a list of 16-bit attribute types. */
import { StunDecodeError } from '../errors.js';
import { asBuffer, checkInt } from './util.js';

export function encodeUnknownAttributes(types: readonly number[]): Buffer {
  const out = Buffer.alloc(types.length * 2);
  types.forEach((t, i) => {
    checkInt(t, 0, 0xffff, 'attribute type');
    out.writeUInt16BE(t, i * 2);
  });
  return out;
}

export function decodeUnknownAttributes(value: Buffer): number[] {
  const v = asBuffer(value, 'UNKNOWN-ATTRIBUTES');
  if (v.length % 2 !== 0) throw new StunDecodeError('bad-length', `UNKNOWN-ATTRIBUTES length ${v.length} is odd`);
  const out: number[] = [];
  for (let i = 0; i < v.length; i += 2) out.push(v.readUInt16BE(i));
  return out;
}
