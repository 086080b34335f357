/** RESERVATION-TOKEN (0x0022) [RFC 8656 §18.9]: an opaque 8-byte token. */
import { expectLength } from './util.js';

export const RESERVATION_TOKEN_LENGTH = 8;

export function encodeReservationToken(token: Uint8Array): Buffer {
  if (token.length !== RESERVATION_TOKEN_LENGTH) throw new RangeError('RESERVATION-TOKEN must be 8 bytes');
  return Buffer.from(token);
}

export function decodeReservationToken(value: Buffer): Buffer {
  return expectLength(value, RESERVATION_TOKEN_LENGTH, 'RESERVATION-TOKEN');
}
