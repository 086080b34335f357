/**
 * PCP (Port Control Protocol, RFC 6887) wire codec, MAP opcode only, IPv4
 * mappings: pure functions over bytes, no sockets (the client is ./pcp.ts).
 *
 * Request (§7.1, §11.1): version 2, opcode MAP, the requested lifetime, the
 * client's own address (IPv4-mapped IPv6), then the MAP data: a 96-bit nonce
 * that ties later renewals and the deletion to this mapping, the protocol, the
 * internal port, and a suggested external port and address. Response (§7.2,
 * §11.1): the result code, the granted lifetime, the server's epoch, then the
 * same MAP data with the assigned external port and address.
 *
 * A NAT-PMP-only gateway answers a version-2 request with a NAT-PMP packet
 * (version 0) whose result is 1, unsupported version (§9): decodeResponse
 * reports that as `{ kind: 'natpmp-only' }`, the cue to fall back.
 */
import { ErrorCode, P2prcError } from '../protocol/errors.js';

export const PCP_PORT = 5351;
export const PCP_VERSION = 2;
export const OPCODE_ANNOUNCE = 0;
export const OPCODE_MAP = 1;
const HEADER = 24;
const MAP_DATA = 36;
export const MAP_REQUEST_LENGTH = HEADER + MAP_DATA;
/** IANA protocol numbers. */
export const PROTO = { udp: 17, tcp: 6 } as const;

/** Result codes (§7.4). */
export const PCP_RESULT: Record<number, string> = {
  0: 'success',
  1: 'unsupported version',
  2: 'not authorized',
  3: 'malformed request',
  4: 'unsupported opcode',
  5: 'unsupported option',
  6: 'malformed option',
  7: 'network failure',
  8: 'no resources',
  9: 'unsupported protocol',
  10: 'user exceeded quota',
  11: 'cannot provide external',
  12: 'address mismatch',
  13: 'excessive remote peers',
};

export interface MapRequest {
  protocol: 'udp' | 'tcp';
  internalPort: number;
  /** 0: no preference. */
  suggestedExternalPort: number;
  /** Seconds; 0 deletes the mapping (with the nonce that made it). */
  lifetime: number;
  /** 12 random bytes, the same for renewals and the deletion. */
  nonce: Buffer;
  /** This host's address as the gateway sees it (the source of the request). */
  clientAddress: string;
  /** Suggested external IPv4 address; default none (0.0.0.0). */
  suggestedExternalAddress?: string;
}

export interface MapResponse {
  kind: 'map';
  result: number;
  lifetime: number;
  epoch: number;
  nonce: Buffer;
  protocol: number;
  internalPort: number;
  externalPort: number;
  externalAddress: string;
}

/** ANNOUNCE (§14.1): header only; a success says the gateway speaks PCP. */
export interface AnnounceResponse {
  kind: 'announce';
  result: number;
  epoch: number;
}

export type PcpResponse = MapResponse | AnnounceResponse | { kind: 'natpmp-only'; result: number };

function v4(address: string): number[] {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new P2prcError(ErrorCode.BadArgument, `not an IPv4 address: ${address}`);
  return parts;
}

/** An IPv4 address as the 16-byte IPv4-mapped IPv6 form PCP carries (::ffff:a.b.c.d). */
export function mappedV4(address: string): Buffer {
  return Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4(address)]);
}

/** The IPv4 address in a 16-byte PCP address field, or its IPv6 text when it is not IPv4-mapped. */
export function unmapV4(b: Buffer): string {
  if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return [...b.subarray(12, 16)].join('.');
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(b.readUInt16BE(i).toString(16));
  return words.join(':');
}

export function encodeMapRequest(r: MapRequest): Buffer {
  if (r.nonce.length !== 12) throw new P2prcError(ErrorCode.BadArgument, 'a PCP nonce is 12 bytes');
  const b = Buffer.alloc(MAP_REQUEST_LENGTH);
  b[0] = PCP_VERSION;
  b[1] = OPCODE_MAP; // R bit 0: a request
  b.writeUInt32BE(r.lifetime >>> 0, 4);
  mappedV4(r.clientAddress).copy(b, 8);
  r.nonce.copy(b, HEADER);
  b[HEADER + 12] = PROTO[r.protocol];
  b.writeUInt16BE(r.internalPort, HEADER + 16);
  b.writeUInt16BE(r.suggestedExternalPort, HEADER + 18);
  mappedV4(r.suggestedExternalAddress ?? '0.0.0.0').copy(b, HEADER + 20);
  return b;
}

/** An ANNOUNCE request: does the gateway speak PCP? (No mapping is made.) */
export function encodeAnnounceRequest(clientAddress: string): Buffer {
  const b = Buffer.alloc(HEADER);
  b[0] = PCP_VERSION;
  b[1] = OPCODE_ANNOUNCE;
  mappedV4(clientAddress).copy(b, 8);
  return b;
}

/**
 * Decode what a gateway sent back to a MAP or ANNOUNCE request. Throws P2prcError
 * `bad-response` for anything that is not a PCP MAP response or a NAT-PMP
 * version answer (a hostile or broken gateway must not crash the caller).
 */
export function decodeResponse(buf: Buffer): PcpResponse {
  if (!Buffer.isBuffer(buf) || buf.length < 4) throw new P2prcError(ErrorCode.BadResponse, 'PCP response too short');
  if (buf[0] === 0) {
    // NAT-PMP: version 0, opcode 128 + op, 16-bit result (RFC 6886 §3.5).
    if (buf[1]! < 128) throw new P2prcError(ErrorCode.BadResponse, 'a NAT-PMP request, not a response');
    return { kind: 'natpmp-only', result: buf.readUInt16BE(2) };
  }
  if (buf[0] !== PCP_VERSION) throw new P2prcError(ErrorCode.BadResponse, `PCP version ${buf[0]} is not 2`);
  if ((buf[1]! & 0x80) === 0) throw new P2prcError(ErrorCode.BadResponse, 'a PCP request, not a response');
  const opcode = buf[1]! & 0x7f;
  if (opcode !== OPCODE_MAP && opcode !== OPCODE_ANNOUNCE) throw new P2prcError(ErrorCode.BadResponse, `PCP opcode ${opcode} is neither MAP nor ANNOUNCE`);
  if (buf.length < HEADER) throw new P2prcError(ErrorCode.BadResponse, 'PCP response header too short');
  const result = buf[3]!;
  const lifetime = buf.readUInt32BE(4);
  const epoch = buf.readUInt32BE(8);
  if (opcode === OPCODE_ANNOUNCE) return { kind: 'announce', result, epoch };
  if (buf.length < MAP_REQUEST_LENGTH) {
    // An error response may come without the MAP data (§7.2: the server copies what it could parse).
    if (result !== 0) return { kind: 'map', result, lifetime, epoch, nonce: Buffer.alloc(12), protocol: 0, internalPort: 0, externalPort: 0, externalAddress: '' };
    throw new P2prcError(ErrorCode.BadResponse, 'PCP MAP response too short');
  }
  if (buf.length % 4 !== 0 || buf.length > 1100) throw new P2prcError(ErrorCode.BadResponse, `PCP response length ${buf.length}`);
  return {
    kind: 'map',
    result,
    lifetime,
    epoch,
    nonce: Buffer.from(buf.subarray(HEADER, HEADER + 12)),
    protocol: buf[HEADER + 12]!,
    internalPort: buf.readUInt16BE(HEADER + 16),
    externalPort: buf.readUInt16BE(HEADER + 18),
    externalAddress: unmapV4(buf.subarray(HEADER + 20, HEADER + 36)),
  };
}

/** A MAP response's result as text: "no resources (8)". */
export function resultText(code: number): string {
  return `${PCP_RESULT[code] ?? 'unknown result'} (${code})`;
}
