/**
 * RESPONSE-PORT (0x0027) [RFC 5780 §7.5]: a 16-bit port "followed by 2 bytes
 * of padding". Encoded as 4 bytes (port + 2 zero bytes, as coturn does);
 * decoding accepts both 4 bytes and the 2-byte form some stacks send.
 */
import { StunDecodeError } from '../errors.js';
import { asBuffer, checkInt } from './util.js';

export function encodeResponsePort(port: number): Buffer {
  checkInt(port, 0, 0xffff, 'RESPONSE-PORT');
  const out = Buffer.alloc(4);
  out.writeUInt16BE(port, 0);
  return out;
}

export function decodeResponsePort(value: Buffer): number {
  const v = asBuffer(value, 'RESPONSE-PORT');
  if (v.length !== 2 && v.length !== 4) throw new StunDecodeError('bad-length', `RESPONSE-PORT must be 2 or 4 bytes, got ${v.length}`);
  return v.readUInt16BE(0);
}
