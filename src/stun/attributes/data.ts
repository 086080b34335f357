/** DATA (0x0013) [RFC 8656 §18.4]: the application payload of a Send/Data indication. */
import { asBuffer } from './util.js';

/** Maximum payload that fits in one STUN message (16-bit length minus the header of DATA). */
export const MAX_DATA_LENGTH = 0xffff;

export function encodeData(payload: Uint8Array): Buffer {
  if (payload.length > MAX_DATA_LENGTH) throw new RangeError(`DATA longer than ${MAX_DATA_LENGTH} bytes`);
  return Buffer.from(payload);
}

export function decodeData(value: Buffer): Buffer {
  return asBuffer(value, 'DATA');
}
