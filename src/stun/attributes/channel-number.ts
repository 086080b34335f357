/**
 * CHANNEL-NUMBER (0x000C) [RFC 8656 §18.1]: a 16-bit channel number followed
 * by 2 RFFU bytes (sent as 0, ignored on receipt).
 *
 * Valid channel numbers are 0x4000-0x4FFF (RFC 8656 §12); 0x5000-0x7FFF are
 * reserved. decodeChannelNumber() rejects anything else, so a server can map
 * the StunDecodeError to 400 Bad Request as §11.2 requires.
 */
import { StunDecodeError } from '../errors.js';
import { expectLength } from './util.js';

export const CHANNEL_NUMBER_MIN = 0x4000;
export const CHANNEL_NUMBER_MAX = 0x4fff;

export function isValidChannelNumber(n: number): boolean {
  return Number.isInteger(n) && n >= CHANNEL_NUMBER_MIN && n <= CHANNEL_NUMBER_MAX;
}

export function encodeChannelNumber(n: number): Buffer {
  if (!isValidChannelNumber(n)) throw new RangeError(`channel number must be in 0x4000-0x4FFF, got ${n}`);
  const out = Buffer.alloc(4);
  out.writeUInt16BE(n, 0);
  return out;
}

export function decodeChannelNumber(value: Buffer): number {
  const n = expectLength(value, 4, 'CHANNEL-NUMBER').readUInt16BE(0);
  if (!isValidChannelNumber(n)) throw new StunDecodeError('bad-channel-number', `0x${n.toString(16)} not in 0x4000-0x4FFF`);
  return n;
}
