/**
 * RFC 3489 ("classic STUN") Binding, as older clients such as Debian's `stun`
 * (stun-client 0.97) still send it: no magic cookie, a 16-byte transaction id,
 * and a response carrying bare MAPPED-ADDRESS, SOURCE-ADDRESS (0x0004) and
 * CHANGED-ADDRESS (0x0005) rather than their RFC 8489 / RFC 5780 successors.
 *
 *   |0 0|     Message Type          |         Message Length        |
 *   |                  Transaction ID (128 bits)                    |
 *
 * Pure, like the rest of src/stun: the server decides which socket answers.
 */
import { addressBytes } from './attributes/address.js';
import { decodeChangeRequest, type ChangeRequest } from './attributes/change-request.js';

/** Header of a classic message: type, length, 16-byte transaction id. */
export const CLASSIC_HEADER_LENGTH = 20;

/** RFC 3489 §11.1 message types and §11.2 attribute types this codec reads or writes. */
export const Classic = {
  BindingRequest: 0x0001,
  BindingResponse: 0x0101,
  MappedAddress: 0x0001,
  ChangeRequest: 0x0003,
  SourceAddress: 0x0004,
  ChangedAddress: 0x0005,
} as const;

/** An IPv4 address and port (RFC 3489 addresses are IPv4 only). */
export interface ClassicAddress {
  address: string;
  port: number;
}

/** RFC 3489 Binding Request: type 0x0001, no magic cookie, 16-byte transaction id, length matching the datagram. */
export function isLegacyBinding(buf: Buffer): boolean {
  return buf.length >= CLASSIC_HEADER_LENGTH && buf.readUInt16BE(0) === Classic.BindingRequest && buf.readUInt16BE(2) + CLASSIC_HEADER_LENGTH === buf.length;
}

/**
 * The CHANGE-REQUEST flags of a classic request (both false without one). The
 * attributes are walked without padding, as RFC 3489 has none; a CHANGE-REQUEST
 * of the wrong length is skipped, and the last well-formed one counts.
 */
export function legacyChangeRequest(buf: Buffer): ChangeRequest {
  let flags: ChangeRequest = { changeIp: false, changePort: false };
  for (let off = CLASSIC_HEADER_LENGTH; off + 4 <= buf.length; ) {
    const type = buf.readUInt16BE(off);
    const len = buf.readUInt16BE(off + 2);
    if (type === Classic.ChangeRequest && len === 4 && off + 8 <= buf.length) flags = decodeChangeRequest(buf.subarray(off + 4, off + 8));
    off += 4 + len;
  }
  return flags;
}

/**
 * A classic Binding Response to the request with `transactionId` (the 16 bytes
 * after the type and length): MAPPED-ADDRESS, SOURCE-ADDRESS, then
 * CHANGED-ADDRESS when the server has an alternate address. IPv4 only
 * (RangeError otherwise).
 */
export function encodeLegacyBindingResponse(transactionId: Uint8Array, mapped: ClassicAddress, source: ClassicAddress, changed?: ClassicAddress): Buffer {
  if (transactionId.length !== 16) throw new RangeError(`classic transaction id must be 16 bytes, got ${transactionId.length}`);
  const attrs: [number, ClassicAddress][] = [[Classic.MappedAddress, mapped], [Classic.SourceAddress, source]];
  if (changed) attrs.push([Classic.ChangedAddress, changed]);
  const out = Buffer.alloc(CLASSIC_HEADER_LENGTH + 12 * attrs.length);
  out.writeUInt16BE(Classic.BindingResponse, 0);
  out.writeUInt16BE(out.length - CLASSIC_HEADER_LENGTH, 2);
  out.set(transactionId, 4);
  let off = CLASSIC_HEADER_LENGTH;
  for (const [type, a] of attrs) {
    const { family, bytes } = addressBytes({ family: 'IPv4', address: a.address, port: a.port });
    out.writeUInt16BE(type, off);
    out.writeUInt16BE(8, off + 2);
    out.writeUInt8(0, off + 4);
    out.writeUInt8(family, off + 5);
    out.writeUInt16BE(a.port, off + 6);
    bytes.copy(out, off + 8);
    off += 12;
  }
  return out;
}
