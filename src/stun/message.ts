/**
 * STUN message codec [RFC 8489 §5, §14]: header, attribute TLVs,
 * MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT. Pure: no sockets, no timers.
 *
 *    0                   1                   2                   3
 *   |0 0|     STUN Message Type     |         Message Length        |
 *   |                         Magic Cookie                          |
 *   |                     Transaction ID (96 bits)                  |
 *
 * decodeMessage() throws only StunDecodeError, for any input.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  ATTRIBUTE_HEADER_LENGTH,
  Attr,
  HEADER_LENGTH,
  MAGIC_COOKIE,
  MAX_MESSAGE_BODY_LENGTH,
  StunClass,
  TRANSACTION_ID_LENGTH,
  defaultReason,
  isComprehensionRequired,
} from './constants.js';
import { StunDecodeError } from './errors.js';
import { encodeErrorCode } from './attributes/error-code.js';
import { computeFingerprint, FINGERPRINT_LENGTH } from './attributes/fingerprint.js';
import {
  computeIntegrity,
  integrityEquals,
  isValidSha256IntegrityLength,
  MESSAGE_INTEGRITY_LENGTH,
  MESSAGE_INTEGRITY_SHA256_LENGTH,
} from './attributes/message-integrity.js';

export { StunDecodeError } from './errors.js';
/** methodName(method) / className(cls): names for logs. */
export { className, methodName } from './constants.js';

export interface StunAttribute {
  type: number;
  value: Buffer;
}

export interface StunMessage {
  cls: StunClass;
  method: number;
  /** 12 bytes. */
  transactionId: Buffer;
  attributes: StunAttribute[];
}

export interface EncodeOptions {
  /** Appends MESSAGE-INTEGRITY (HMAC-SHA1) with this key (short-term: the password; long-term: longTermKey()). */
  integrityKey?: Buffer;
  /** Appends MESSAGE-INTEGRITY-SHA256 (after MESSAGE-INTEGRITY if both are asked for). */
  integritySha256Key?: Buffer;
  /** Length of MESSAGE-INTEGRITY-SHA256 (16..32, multiple of 4). Default 32. */
  integritySha256Length?: number;
  /** Appends FINGERPRINT last. */
  fingerprint?: boolean;
  /** Value of the padding bytes after attribute values (default 0; RFC 5769 §2.1 uses 0x20). */
  paddingByte?: number;
}

const pad4 = (n: number): number => (n + 3) & ~3;

// ---------------------------------------------------------------------------
// Message type

/** Packs a 12-bit method and 2-bit class into the 14-bit message type (RFC 8489 §5, Figure 3). */
export function encodeMessageType(method: number, cls: number): number {
  if (!Number.isInteger(method) || method < 0 || method > 0xfff) throw new RangeError(`method must be in 0..0xfff, got ${method}`);
  if (!Number.isInteger(cls) || cls < 0 || cls > 3) throw new RangeError(`class must be in 0..3, got ${cls}`);
  return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | ((cls & 1) << 4) | ((cls & 2) << 7);
}

/** Inverse of encodeMessageType (the top two bits of `type` are ignored). */
export function decodeMessageType(type: number): { method: number; cls: StunClass } {
  const method = (type & 0x000f) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0f80);
  const cls = (((type >> 4) & 1) | ((type >> 7) & 2)) as StunClass;
  return { method, cls };
}

// ---------------------------------------------------------------------------
// Framing

/**
 * Cheap check used to demultiplex STUN from ChannelData / DTLS / RTP: at
 * least 20 bytes, top two bits 0, magic cookie, length field a multiple of 4
 * and equal to the bytes after the header. Never throws.
 */
export function isStunMessage(buf: Uint8Array): boolean {
  if (!(buf instanceof Uint8Array) || buf.length < HEADER_LENGTH) return false;
  if ((buf[0]! & 0xc0) !== 0) return false;
  if (buf[4] !== 0x21 || buf[5] !== 0x12 || buf[6] !== 0xa4 || buf[7] !== 0x42) return false;
  const len = (buf[2]! << 8) | buf[3]!;
  return len % 4 === 0 && HEADER_LENGTH + len === buf.length;
}

interface RawAttribute {
  type: number;
  /** Offset of the attribute header in the message. */
  offset: number;
  /** Value length (without padding). */
  length: number;
}

function toBuffer(buf: unknown): Buffer {
  if (Buffer.isBuffer(buf)) return buf;
  if (buf instanceof Uint8Array) return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  throw new StunDecodeError('not-a-buffer', 'input is not a Buffer');
}

/**
 * Validates the header and the attribute TLV structure of `buf` and returns
 * the attributes that count, i.e. without those RFC 8489 says to ignore:
 * everything after FINGERPRINT, and everything after MESSAGE-INTEGRITY except
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT (and after MESSAGE-INTEGRITY-SHA256
 * only FINGERPRINT). Ignored attributes must still be well-formed TLVs.
 */
function scan(buf: Buffer): RawAttribute[] {
  if (buf.length < HEADER_LENGTH) throw new StunDecodeError('too-short', `${buf.length} bytes is shorter than the STUN header`);
  if ((buf[0]! & 0xc0) !== 0) throw new StunDecodeError('not-stun', 'the first two bits are not zero');
  if (buf.readUInt32BE(4) !== MAGIC_COOKIE) throw new StunDecodeError('bad-cookie', 'magic cookie mismatch');
  const length = buf.readUInt16BE(2);
  if (length % 4 !== 0) throw new StunDecodeError('bad-length', `message length ${length} is not a multiple of 4`);
  if (HEADER_LENGTH + length !== buf.length) {
    throw new StunDecodeError('length-mismatch', `header says ${HEADER_LENGTH + length} bytes, buffer has ${buf.length}`);
  }
  const end = HEADER_LENGTH + length;
  const out: RawAttribute[] = [];
  let afterIntegrity = false;
  let afterIntegritySha256 = false;
  let afterFingerprint = false;
  let off = HEADER_LENGTH;
  while (off < end) {
    if (end - off < ATTRIBUTE_HEADER_LENGTH) throw new StunDecodeError('attribute-overrun', `truncated attribute header at ${off}`);
    const type = buf.readUInt16BE(off);
    const alen = buf.readUInt16BE(off + 2);
    const next = off + ATTRIBUTE_HEADER_LENGTH + pad4(alen);
    if (next > end) throw new StunDecodeError('attribute-overrun', `attribute 0x${type.toString(16)} at ${off} overruns the message`);
    const a: RawAttribute = { type, offset: off, length: alen };
    off = next;
    if (afterFingerprint) continue;
    if (type === Attr.Fingerprint) {
      if (alen !== FINGERPRINT_LENGTH) throw new StunDecodeError('bad-length', `FINGERPRINT must be 4 bytes, got ${alen}`);
      out.push(a);
      afterFingerprint = true;
    } else if (afterIntegritySha256) {
      continue;
    } else if (type === Attr.MessageIntegritySha256) {
      if (!isValidSha256IntegrityLength(alen)) throw new StunDecodeError('bad-length', `MESSAGE-INTEGRITY-SHA256 length ${alen}`);
      out.push(a);
      afterIntegritySha256 = true;
    } else if (afterIntegrity) {
      continue;
    } else if (type === Attr.MessageIntegrity) {
      if (alen !== MESSAGE_INTEGRITY_LENGTH) throw new StunDecodeError('bad-length', `MESSAGE-INTEGRITY must be 20 bytes, got ${alen}`);
      out.push(a);
      afterIntegrity = true;
    } else {
      out.push(a);
    }
  }
  return out;
}

/**
 * Decodes one STUN message that occupies all of `buf` (one UDP datagram, or
 * one frame cut out of a TCP stream with nextFrameLength()). Attribute values
 * are copies, without padding, in wire order. Throws StunDecodeError only.
 */
export function decodeMessage(buf: Buffer): StunMessage {
  const b = toBuffer(buf);
  const raw = scan(b);
  const { method, cls } = decodeMessageType(b.readUInt16BE(0));
  return {
    cls,
    method,
    transactionId: Buffer.from(b.subarray(8, HEADER_LENGTH)),
    attributes: raw.map((a) => ({ type: a.type, value: Buffer.from(b.subarray(a.offset + 4, a.offset + 4 + a.length)) })),
  };
}

/** Encodes `msg`, optionally appending MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT (in that order). */
export function encodeMessage(msg: StunMessage, opts: EncodeOptions = {}): Buffer {
  const type = encodeMessageType(msg.method, msg.cls);
  if (!(msg.transactionId instanceof Uint8Array) || msg.transactionId.length !== TRANSACTION_ID_LENGTH) {
    throw new RangeError(`transaction ID must be ${TRANSACTION_ID_LENGTH} bytes`);
  }
  const withIntegrity = opts.integrityKey !== undefined || opts.integritySha256Key !== undefined;
  // Security attributes that are being recomputed replace any already in the list
  // (so a decoded message can be re-signed).
  const attrs = msg.attributes.filter((a) => {
    if (withIntegrity) return a.type !== Attr.MessageIntegrity && a.type !== Attr.MessageIntegritySha256 && a.type !== Attr.Fingerprint;
    if (opts.fingerprint) return a.type !== Attr.Fingerprint;
    return true;
  });
  const shaLen = opts.integritySha256Length ?? MESSAGE_INTEGRITY_SHA256_LENGTH;
  if (opts.integritySha256Key !== undefined && !isValidSha256IntegrityLength(shaLen)) {
    throw new RangeError('integritySha256Length must be 16..32 and a multiple of 4');
  }
  const padByte = opts.paddingByte ?? 0;
  if (!Number.isInteger(padByte) || padByte < 0 || padByte > 255) throw new RangeError('paddingByte must be 0..255');

  let body = 0;
  for (const a of attrs) {
    if (!Number.isInteger(a.type) || a.type < 0 || a.type > 0xffff) throw new RangeError(`attribute type must be in 0..0xffff, got ${a.type}`);
    if (!(a.value instanceof Uint8Array)) throw new TypeError(`attribute 0x${a.type.toString(16)} value is not a Buffer`);
    if (a.value.length > 0xffff) throw new RangeError(`attribute 0x${a.type.toString(16)} value longer than 65535 bytes`);
    body += ATTRIBUTE_HEADER_LENGTH + pad4(a.value.length);
  }
  if (opts.integrityKey !== undefined) body += ATTRIBUTE_HEADER_LENGTH + MESSAGE_INTEGRITY_LENGTH;
  if (opts.integritySha256Key !== undefined) body += ATTRIBUTE_HEADER_LENGTH + shaLen;
  if (opts.fingerprint) body += ATTRIBUTE_HEADER_LENGTH + FINGERPRINT_LENGTH;
  if (body > MAX_MESSAGE_BODY_LENGTH) throw new RangeError(`message body of ${body} bytes exceeds ${MAX_MESSAGE_BODY_LENGTH}`);

  const out = Buffer.alloc(HEADER_LENGTH + body);
  out.writeUInt16BE(type, 0);
  out.writeUInt32BE(MAGIC_COOKIE, 4);
  Buffer.from(msg.transactionId).copy(out, 8);
  let off = HEADER_LENGTH;
  const put = (t: number, v: Uint8Array): void => {
    out.writeUInt16BE(t, off);
    out.writeUInt16BE(v.length, off + 2);
    out.set(v, off + 4);
    const padded = pad4(v.length);
    if (padByte !== 0) out.fill(padByte, off + 4 + v.length, off + 4 + padded);
    off += ATTRIBUTE_HEADER_LENGTH + padded;
  };
  for (const a of attrs) put(a.type, a.value);

  // Each trailer is computed with the length field pointing at its own end.
  const header = (endOfAttr: number): Buffer => {
    out.writeUInt16BE(endOfAttr - HEADER_LENGTH, 2);
    return out.subarray(0, HEADER_LENGTH);
  };
  if (opts.integrityKey !== undefined) {
    const mac = computeIntegrity('sha1', opts.integrityKey, header(off + 4 + MESSAGE_INTEGRITY_LENGTH), out.subarray(HEADER_LENGTH, off));
    put(Attr.MessageIntegrity, mac);
  }
  if (opts.integritySha256Key !== undefined) {
    const mac = computeIntegrity('sha256', opts.integritySha256Key, header(off + 4 + shaLen), out.subarray(HEADER_LENGTH, off));
    put(Attr.MessageIntegritySha256, mac.subarray(0, shaLen));
  }
  if (opts.fingerprint) {
    const fp = computeFingerprint(header(off + 4 + FINGERPRINT_LENGTH), out.subarray(HEADER_LENGTH, off));
    const v = Buffer.alloc(4);
    v.writeUInt32BE(fp, 0);
    put(Attr.Fingerprint, v);
  }
  out.writeUInt16BE(body, 2);
  return out;
}

// ---------------------------------------------------------------------------
// Verification of received bytes

function findRaw(raw: Uint8Array, type: number): { buf: Buffer; attr: RawAttribute } | undefined {
  try {
    const buf = toBuffer(raw);
    const attr = scan(buf).find((a) => a.type === type);
    return attr && { buf, attr };
  } catch (e) {
    if (e instanceof StunDecodeError) return undefined;
    throw e;
  }
}

/** Copy of the 20-byte header with the length field set to end at `end`. */
function adjustedHeader(buf: Buffer, end: number): Buffer {
  const h = Buffer.from(buf.subarray(0, HEADER_LENGTH));
  h.writeUInt16BE(end - HEADER_LENGTH, 2);
  return h;
}

function verifyMac(raw: Uint8Array, key: Uint8Array, type: number, algorithm: 'sha1' | 'sha256'): boolean {
  const found = findRaw(raw, type);
  if (!found) return false;
  const { buf, attr } = found;
  const valueStart = attr.offset + ATTRIBUTE_HEADER_LENGTH;
  const mac = computeIntegrity(algorithm, key, adjustedHeader(buf, valueStart + attr.length), buf.subarray(HEADER_LENGTH, attr.offset));
  return integrityEquals(mac, buf.subarray(valueStart, valueStart + attr.length));
}

/**
 * Verifies the MESSAGE-INTEGRITY (HMAC-SHA1) of the raw received bytes with
 * `key`. The length field is adjusted to end at MESSAGE-INTEGRITY, so
 * attributes after it (MESSAGE-INTEGRITY-SHA256, FINGERPRINT, or ones to be
 * ignored) do not matter. False when absent or malformed. Constant-time compare.
 */
export function verifyMessageIntegrity(raw: Buffer, key: Buffer): boolean {
  return verifyMac(raw, key, Attr.MessageIntegrity, 'sha1');
}

/** Like verifyMessageIntegrity, for MESSAGE-INTEGRITY-SHA256 (truncated values compare their prefix). */
export function verifyMessageIntegritySha256(raw: Buffer, key: Buffer): boolean {
  return verifyMac(raw, key, Attr.MessageIntegritySha256, 'sha256');
}

/** Verifies FINGERPRINT of the raw received bytes; false when absent or malformed. */
export function verifyFingerprint(raw: Buffer): boolean {
  const found = findRaw(raw, Attr.Fingerprint);
  if (!found) return false;
  const { buf, attr } = found;
  const end = attr.offset + ATTRIBUTE_HEADER_LENGTH + FINGERPRINT_LENGTH;
  const fp = computeFingerprint(adjustedHeader(buf, end), buf.subarray(HEADER_LENGTH, attr.offset));
  return buf.readUInt32BE(attr.offset + ATTRIBUTE_HEADER_LENGTH) === fp;
}

// ---------------------------------------------------------------------------
// Keys

/**
 * Long-term credential key (RFC 8489 §9.2.2): MD5(username ":" realm ":"
 * password), or SHA-256 of the same when PASSWORD-ALGORITHM is SHA-256.
 * Strings are hashed as plain UTF-8 - no SASLprep/OpaqueString (apply
 * saslprep()/opaqueString() yourself if wanted). Buffers are hashed as is, so
 * the raw USERNAME/REALM attribute bytes can be passed directly.
 */
export function longTermKey(
  username: string | Uint8Array,
  realm: string | Uint8Array,
  password: string | Uint8Array,
  algorithm: 'md5' | 'sha256' = 'md5',
): Buffer {
  return createHash(algorithm).update(username).update(':').update(realm).update(':').update(password).digest();
}

/** Short-term credential key (RFC 8489 §9.1.1): the password itself, UTF-8 (no OpaqueString). */
export function shortTermKey(password: string): Buffer {
  return Buffer.from(password, 'utf8');
}

// ---------------------------------------------------------------------------
// Convenience

/** 12 cryptographically random bytes. */
export function newTransactionId(): Buffer {
  return randomBytes(TRANSACTION_ID_LENGTH);
}

/** Shorthand for `{ type, value }`. */
export function attr(type: number, value: Uint8Array = Buffer.alloc(0)): StunAttribute {
  return { type, value: Buffer.isBuffer(value) ? value : Buffer.from(value) };
}

/** Value of the first attribute of `type` (RFC 8489: only the first occurrence needs processing). */
export function getAttribute(msg: StunMessage, type: number): Buffer | undefined {
  return msg.attributes.find((a) => a.type === type)?.value;
}

/** Values of all attributes of `type`, in order (e.g. two XOR-RELAYED-ADDRESS in a dual-stack Allocate). */
export function getAttributes(msg: StunMessage, type: number): Buffer[] {
  return msg.attributes.filter((a) => a.type === type).map((a) => a.value);
}

/**
 * Comprehension-required attribute types (0x0000-0x7FFF) present in `msg` but
 * not in `known`, without duplicates: non-empty means a request must be
 * answered with 420 and an UNKNOWN-ATTRIBUTES attribute listing them.
 */
export function unknownComprehensionRequired(msg: StunMessage, known: Iterable<number>): number[] {
  const k = new Set(known);
  const out: number[] = [];
  for (const a of msg.attributes) {
    if (isComprehensionRequired(a.type) && !k.has(a.type) && !out.includes(a.type)) out.push(a.type);
  }
  return out;
}

export function buildRequest(method: number, attrs: StunAttribute[] = []): StunMessage {
  return { cls: StunClass.Request, method, transactionId: newTransactionId(), attributes: attrs };
}

export function buildIndication(method: number, attrs: StunAttribute[] = []): StunMessage {
  return { cls: StunClass.Indication, method, transactionId: newTransactionId(), attributes: attrs };
}

/** Success response to `req` (same method and transaction ID). */
export function buildSuccess(req: Pick<StunMessage, 'method' | 'transactionId'>, attrs: StunAttribute[] = []): StunMessage {
  return { cls: StunClass.SuccessResponse, method: req.method, transactionId: Buffer.from(req.transactionId), attributes: attrs };
}

/** Error response to `req`: ERROR-CODE (reason defaults to the RFC phrase) followed by `extraAttrs`. */
export function buildError(
  req: Pick<StunMessage, 'method' | 'transactionId'>,
  code: number,
  reason?: string,
  extraAttrs: StunAttribute[] = [],
): StunMessage {
  return {
    cls: StunClass.ErrorResponse,
    method: req.method,
    transactionId: Buffer.from(req.transactionId),
    attributes: [{ type: Attr.ErrorCode, value: encodeErrorCode(code, reason ?? defaultReason(code)) }, ...extraAttrs],
  };
}
