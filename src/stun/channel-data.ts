/**
 * TURN ChannelData message [RFC 8656 §12.4, §12.5].
 *
 *   |         Channel Number        |            Length             |
 *   /                       Application Data                        /
 *
 * The first two bits are 01, which distinguishes it from STUN (00). Only
 * channel numbers 0x4000-0x4FFF are valid (0x5000-0x7FFF are reserved).
 * Length counts the application data only. Over TCP the message is padded
 * to a multiple of 4 bytes; over UDP padding is optional. decodeChannelData()
 * therefore accepts 0-3 trailing padding bytes after the data, and nothing
 * more.
 */
import { StunDecodeError } from './errors.js';
import { isValidChannelNumber, type ChannelRangeOptions } from './attributes/channel-number.js';

export const CHANNEL_DATA_HEADER_LENGTH = 4;

export interface ChannelData {
  channel: number;
  data: Buffer;
}

const pad4 = (n: number): number => (n + 3) & ~3;

function problem(buf: Uint8Array, opts: ChannelRangeOptions): [string, string] | undefined {
  if (buf.length < CHANNEL_DATA_HEADER_LENGTH) return ['too-short', `${buf.length} bytes is shorter than the ChannelData header`];
  const channel = (buf[0]! << 8) | buf[1]!;
  if (!isValidChannelNumber(channel, opts)) return ['bad-channel-number', `0x${channel.toString(16)} not in 0x4000-0x${opts.rfc5766Range ? '7FFF' : '4FFF'}`];
  const len = (buf[2]! << 8) | buf[3]!;
  if (CHANNEL_DATA_HEADER_LENGTH + len > buf.length) return ['length-mismatch', `length ${len} exceeds the ${buf.length - 4} bytes present`];
  if (buf.length > CHANNEL_DATA_HEADER_LENGTH + pad4(len)) return ['length-mismatch', `more than 3 bytes after the ${len} data bytes`];
  return undefined;
}

/** True when `buf` is a well-formed ChannelData message (valid channel, length consistent with the buffer). Never throws. */
export function isChannelData(buf: Uint8Array, opts: ChannelRangeOptions = {}): boolean {
  return buf instanceof Uint8Array && problem(buf, opts) === undefined;
}

/** Decodes a ChannelData message occupying all of `buf` (plus optional padding). `data` is a copy. */
export function decodeChannelData(buf: Buffer, opts: ChannelRangeOptions = {}): ChannelData {
  const u: unknown = buf;
  if (!(u instanceof Uint8Array)) throw new StunDecodeError('not-a-buffer', 'input is not a Buffer');
  const p = problem(u, opts);
  if (p) throw new StunDecodeError(p[0], p[1]);
  const b = Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  const len = b.readUInt16BE(2);
  return { channel: b.readUInt16BE(0), data: Buffer.from(b.subarray(4, 4 + len)) };
}

/** Encodes a ChannelData message; `pad` adds zero bytes up to a multiple of 4 (required over TCP/TLS). */
export function encodeChannelData(channel: number, data: Uint8Array, pad = false): Buffer {
  if (!isValidChannelNumber(channel)) throw new RangeError(`channel number must be in 0x4000-0x4FFF, got ${channel}`);
  if (data.length > 0xffff) throw new RangeError('ChannelData payload longer than 65535 bytes');
  const out = Buffer.alloc(CHANNEL_DATA_HEADER_LENGTH + (pad ? pad4(data.length) : data.length));
  writeChannelDataHeader(out, channel, data.length);
  out.set(data, 4);
  return out;
}

/**
 * The relay's hot path: writes the 4-byte header (channel number, data
 * length) at the start of `out`, so the payload can follow in a separate
 * buffer (a gathered send) without being copied. No range checks beyond
 * Buffer's own (RangeError for values outside 16 bits); the caller has the
 * channel from a binding it validated.
 */
export function writeChannelDataHeader(out: Buffer, channel: number, length: number): void {
  out.writeUInt16BE(channel, 0);
  out.writeUInt16BE(length, 2);
}

/**
 * The relay's hot path: ChannelData parsed in place (payload is a view, not a
 * copy), undefined when `buf` is not well-formed ChannelData. Never throws.
 */
export function viewChannelData(buf: Buffer, opts: ChannelRangeOptions = {}): ChannelData | undefined {
  if (problem(buf, opts)) return undefined;
  return { channel: buf.readUInt16BE(0), data: buf.subarray(4, 4 + buf.readUInt16BE(2)) };
}

/** First-byte test: 0x40-0x7F can only be ChannelData (STUN starts with 0b00). */
export function looksLikeChannelData(buf: Uint8Array): boolean {
  const b0 = buf[0];
  return buf.length >= 4 && b0 !== undefined && b0 >= 0x40 && b0 <= 0x7f;
}
