/**
 * Pure STUN (RFC 8489) / TURN (RFC 8656) / NAT-behaviour-discovery (RFC 5780)
 * wire codec: no sockets, no timers, no I/O.
 */
export * from './constants.js';
export * from './errors.js';
export * from './message.js';
export * from './channel-data.js';
export * from './framing.js';
export * from './credentials.js';
export * from './saslprep.js';
export * from './ip.js';
export { crc32 } from './crc32.js';
export * from './rfc3489.js';

export * from './attributes/address.js';
export * from './attributes/address-error-code.js';
export * from './attributes/change-request.js';
export * from './attributes/channel-number.js';
export * from './attributes/connection-id.js';
export * from './attributes/data.js';
export * from './attributes/dont-fragment.js';
export * from './attributes/error-code.js';
export * from './attributes/even-port.js';
export * from './attributes/fingerprint.js';
export * from './attributes/ice.js';
export * from './attributes/icmp.js';
export * from './attributes/lifetime.js';
export * from './attributes/message-integrity.js';
export * from './attributes/padding.js';
export * from './attributes/password-algorithm.js';
export * from './attributes/requested-address-family.js';
export * from './attributes/requested-transport.js';
export * from './attributes/reservation-token.js';
export * from './attributes/response-port.js';
export * from './attributes/text.js';
export * from './attributes/unknown-attributes.js';
export * from './attributes/userhash.js';
export * from './attributes/xor-address.js';
