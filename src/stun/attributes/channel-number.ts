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

/** RFC 5766 allowed 0x4000-0x7FFF; coturn and its clients (turnutils_uclient) still use it. */
export const CHANNEL_NUMBER_MAX_RFC5766 = 0x7fff;

export interface ChannelRangeOptions {
  /** Accept the RFC 5766 range 0x4000-0x7FFF (what coturn accepts), not only RFC 8656's 0x4000-0x4FFF. */
  rfc5766Range?: boolean;
}

export function isValidChannelNumber(n: number, opts: ChannelRangeOptions = {}): boolean {
  return Number.isInteger(n) && n >= CHANNEL_NUMBER_MIN && n <= (opts.rfc5766Range ? CHANNEL_NUMBER_MAX_RFC5766 : CHANNEL_NUMBER_MAX);
}

export function encodeChannelNumber(n: number): Buffer {
  if (!isValidChannelNumber(n)) throw new RangeError(`channel number must be in 0x4000-0x4FFF, got ${n}`);
  const out = Buffer.alloc(4);
  out.writeUInt16BE(n, 0);
  return out;
}

export function decodeChannelNumber(value: Buffer, opts: ChannelRangeOptions = {}): number {
  const n = expectLength(value, 4, 'CHANNEL-NUMBER').readUInt16BE(0);
  if (!isValidChannelNumber(n, opts)) throw new StunDecodeError('bad-channel-number', `0x${n.toString(16)} not in 0x4000-0x${opts.rfc5766Range ? '7FFF' : '4FFF'}`);
  return n;
}
