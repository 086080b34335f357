/**
 * STUN / TURN protocol constants.
 *
 * Sources: RFC 8489 (STUN), RFC 8656 (TURN), RFC 5780 (NAT behaviour discovery),
 * RFC 8445 (ICE attributes), RFC 6062 (TURN TCP allocations), IANA "STUN Parameters".
 */

/** Fixed value of bytes 4..7 of every RFC 5389/8489 STUN message. */
export const MAGIC_COOKIE = 0x2112a442;
/** Size of the STUN message header in bytes. */
export const HEADER_LENGTH = 20;
/** Size of the transaction ID in bytes. */
export const TRANSACTION_ID_LENGTH = 12;
/** Size of an attribute header (type + length) in bytes. */
export const ATTRIBUTE_HEADER_LENGTH = 4;
/** The FINGERPRINT value is CRC-32(message) XOR this constant (RFC 8489 §14.7). */
export const FINGERPRINT_XOR = 0x5354554e;
/** Largest value of the 16-bit message length field that is a multiple of 4. */
export const MAX_MESSAGE_BODY_LENGTH = 0xfffc;

/** The two class bits of the message type (RFC 8489 §5). */
export const StunClass = {
  Request: 0,
  Indication: 1,
  SuccessResponse: 2,
  ErrorResponse: 3,
} as const;
export type StunClass = (typeof StunClass)[keyof typeof StunClass];

/** STUN / TURN methods (12-bit). */
export const Method = {
  Binding: 0x001,
  Allocate: 0x003,
  Refresh: 0x004,
  Send: 0x006,
  Data: 0x007,
  CreatePermission: 0x008,
  ChannelBind: 0x009,
  /** RFC 6062 (TURN TCP allocations). */
  Connect: 0x00a,
  /** RFC 6062. */
  ConnectionBind: 0x00b,
  /** RFC 6062. */
  ConnectionAttempt: 0x00c,
} as const;
export type Method = (typeof Method)[keyof typeof Method];

/**
 * Attribute types. 0x0000-0x7FFF are comprehension-required, 0x8000-0xFFFF
 * comprehension-optional (RFC 8489 §14, §18.3).
 */
export const Attr = {
  // RFC 8489
  MappedAddress: 0x0001,
  Username: 0x0006,
  MessageIntegrity: 0x0008,
  ErrorCode: 0x0009,
  UnknownAttributes: 0x000a,
  Realm: 0x0014,
  Nonce: 0x0015,
  MessageIntegritySha256: 0x001c,
  PasswordAlgorithm: 0x001d,
  Userhash: 0x001e,
  XorMappedAddress: 0x0020,
  PasswordAlgorithms: 0x8002,
  AlternateDomain: 0x8003,
  Software: 0x8022,
  AlternateServer: 0x8023,
  Fingerprint: 0x8028,
  // RFC 5780
  ChangeRequest: 0x0003,
  Padding: 0x0026,
  ResponsePort: 0x0027,
  CacheTimeout: 0x8027,
  ResponseOrigin: 0x802b,
  OtherAddress: 0x802c,
  // RFC 8656
  ChannelNumber: 0x000c,
  Lifetime: 0x000d,
  XorPeerAddress: 0x0012,
  Data: 0x0013,
  XorRelayedAddress: 0x0016,
  RequestedAddressFamily: 0x0017,
  EvenPort: 0x0018,
  RequestedTransport: 0x0019,
  DontFragment: 0x001a,
  ReservationToken: 0x0022,
  AdditionalAddressFamily: 0x8000,
  AddressErrorCode: 0x8001,
  Icmp: 0x8004,
  // RFC 8445 (ICE)
  Priority: 0x0024,
  UseCandidate: 0x0025,
  IceControlled: 0x8029,
  IceControlling: 0x802a,
  // RFC 6062
  ConnectionId: 0x002a,
} as const;
export type Attr = (typeof Attr)[keyof typeof Attr];

/** True for attribute types 0x0000-0x7FFF: an agent that does not know them must reject the request with 420. */
export function isComprehensionRequired(type: number): boolean {
  return type >= 0 && type < 0x8000;
}

/** Error codes of RFC 8489 §14.8, RFC 8656 §19, RFC 8445 and RFC 6062. */
export const ErrorCodes = {
  TryAlternate: 300,
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  UnknownAttribute: 420,
  AllocationMismatch: 437,
  StaleNonce: 438,
  AddressFamilyNotSupported: 440,
  WrongCredentials: 441,
  UnsupportedTransportProtocol: 442,
  PeerAddressFamilyMismatch: 443,
  /** RFC 6062. */
  ConnectionAlreadyExists: 446,
  /** RFC 6062. */
  ConnectionTimeoutOrFailure: 447,
  AllocationQuotaReached: 486,
  /** RFC 8445 (ICE). */
  RoleConflict: 487,
  ServerError: 500,
  InsufficientCapacity: 508,
} as const;
export type ErrorCodes = (typeof ErrorCodes)[keyof typeof ErrorCodes];

const REASONS: ReadonlyMap<number, string> = new Map([
  [300, 'Try Alternate'],
  [400, 'Bad Request'],
  // RFC 8489 renamed RFC 5389's "Unauthorized" to "Unauthenticated".
  [401, 'Unauthenticated'],
  [403, 'Forbidden'],
  [420, 'Unknown Attribute'],
  [437, 'Allocation Mismatch'],
  [438, 'Stale Nonce'],
  [440, 'Address Family not Supported'],
  [441, 'Wrong Credentials'],
  [442, 'Unsupported Transport Protocol'],
  [443, 'Peer Address Family Mismatch'],
  [446, 'Connection Already Exists'],
  [447, 'Connection Timeout or Failure'],
  [486, 'Allocation Quota Reached'],
  [487, 'Role Conflict'],
  [500, 'Server Error'],
  [508, 'Insufficient Capacity'],
]);

/** The reason phrase the RFCs / IANA registry recommend for an error code ('' when unknown). */
export function defaultReason(code: number): string {
  return REASONS.get(code) ?? '';
}

/** PASSWORD-ALGORITHM identifiers (RFC 8489 §18.5). */
export const PasswordAlgorithmId = {
  MD5: 0x0001,
  SHA256: 0x0002,
} as const;
export type PasswordAlgorithmId = (typeof PasswordAlgorithmId)[keyof typeof PasswordAlgorithmId];

/** Address family codes used in (XOR-)address attributes and REQUESTED-ADDRESS-FAMILY. */
export const AddressFamilyCode = {
  IPv4: 0x01,
  IPv6: 0x02,
} as const;

/** IP protocol numbers used by REQUESTED-TRANSPORT. */
export const TransportProtocol = {
  TCP: 6,
  UDP: 17,
} as const;

function invert(o: Record<string, number>): ReadonlyMap<number, string> {
  return new Map(Object.entries(o).map(([k, v]) => [v, k]));
}
const METHOD_NAMES = invert(Method);
const CLASS_NAMES = invert(StunClass);
const ATTR_NAMES = invert(Attr);

const hex = (n: number, width: number): string => '0x' + n.toString(16).padStart(width, '0');

/** Human-readable method name for logs, e.g. "Allocate" or "0x0abc". */
export function methodName(method: number): string {
  return METHOD_NAMES.get(method) ?? hex(method, 3);
}

/** Human-readable class name for logs, e.g. "SuccessResponse". */
export function className(cls: number): string {
  return CLASS_NAMES.get(cls) ?? `class(${cls})`;
}

/** Human-readable attribute type name for logs, e.g. "XorMappedAddress" or "0xc057". */
export function attrName(type: number): string {
  return ATTR_NAMES.get(type) ?? hex(type, 4);
}
