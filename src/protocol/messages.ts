/**
 * Signalling protocol v1: every message between a peer and the signal server.
 * Defined once and imported by both sides (like frp's pkg/msg). Pure: no I/O.
 *
 * Framing: one JSON object per WebSocket text frame, discriminated by `type`.
 * The payload of `signal` messages is end-to-end between peers; the server only
 * checks its shape and forwards it, and peers verify its signature.
 *
 * This module is the protocol's one import: the building blocks
 * (schema-primitives.ts), the peer-to-peer payloads (signal-payloads.ts), the
 * peer/server envelopes (envelopes.ts) and the frame codec (codec.ts).
 */
export * from './schema-primitives.js';
export * from './signal-payloads.js';
export * from './envelopes.js';
export * from './codec.js';
