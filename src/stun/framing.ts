/**
 * Message boundaries on stream transports (TURN over TCP/TLS, RFC 8656
 * §12.5; STUN over TCP, RFC 8489 §6.2.2): STUN messages and ChannelData
 * messages follow each other back to back; ChannelData is padded to a
 * multiple of 4 bytes there.
 */
import { HEADER_LENGTH } from './constants.js';
import { StunDecodeError } from './errors.js';

/**
 * Size in bytes of the frame starting at `buf[0]`: a STUN message
 * (20 + length) or a padded ChannelData message (4 + length rounded up to 4).
 * undefined when fewer than 4 bytes are buffered (read more). Throws
 * StunDecodeError when the stream is neither (the connection should be
 * closed). The frame may be longer than what is buffered yet.
 */
export function nextFrameLength(buf: Uint8Array): number | undefined {
  if (buf.length < 4) return undefined;
  const top = buf[0]! >> 6;
  const len = (buf[2]! << 8) | buf[3]!;
  if (top === 0) {
    if (len % 4 !== 0) throw new StunDecodeError('bad-length', `STUN length ${len} is not a multiple of 4`);
    return HEADER_LENGTH + len;
  }
  if (top === 1) return 4 + ((len + 3) & ~3);
  throw new StunDecodeError('not-stun', 'neither a STUN nor a ChannelData message');
}

/**
 * Splits as many complete frames as `buf` holds. Returns the frames (views
 * into `buf`) and the unconsumed rest. Throws StunDecodeError like nextFrameLength().
 */
export function splitFrames(buf: Buffer): { frames: Buffer[]; rest: Buffer } {
  const frames: Buffer[] = [];
  let off = 0;
  for (;;) {
    const n = nextFrameLength(buf.subarray(off));
    if (n === undefined || off + n > buf.length) break;
    frames.push(buf.subarray(off, off + n));
    off += n;
  }
  return { frames, rest: buf.subarray(off) };
}
