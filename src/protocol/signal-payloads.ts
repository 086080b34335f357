/**
 * What peers send each other through the signal server (the `payload` of a
 * `signal` message): offers and answers, candidates, bye, ack, punch steps, and
 * the route kinds and candidate entries of a route report. The server checks
 * their shape and forwards them; peers verify the descriptions' signatures. Pure.
 */
import { z } from 'zod';
import { SessionIdSchema, SignatureSchema } from './schema-primitives.js';

/** Offer or answer; `signature` covers canonicalDescription(...) (see identity/signed-description). */
export const DescriptionPayloadSchema = z.object({
  kind: z.enum(['offer', 'answer']),
  sessionId: SessionIdSchema,
  sdp: z.string().max(32 * 1024),
  ts: z.number().int().nonnegative(),
  signature: SignatureSchema,
  /**
   * The sender runs with --force-relay: for this session neither side may offer or
   * use a non-relay candidate, so neither learns the other's address (signed).
   */
  relayOnly: z.boolean().optional(),
});
export const CandidatePayloadSchema = z.object({
  kind: z.literal('candidate'),
  sessionId: SessionIdSchema,
  candidate: z.string().max(1024),
  mid: z.string().max(64),
  /** The sender's UPnP/NAT-PMP port mapping (so both sides can name the route `upnp`). */
  upnp: z.boolean().optional(),
});
export const ByePayloadSchema = z.object({
  kind: z.literal('bye'),
  sessionId: SessionIdSchema,
  reason: z.string().max(512).optional(),
});
/**
 * Offerer -> answerer: the answer is applied. The answerer holds the offerer's
 * candidates until then, so no ICE check (and no DTLS handshake) reaches the
 * offerer before it knows the answer's fingerprint; libdatachannel fails the
 * handshake ("unknown CA") when the answer loses that race, as it can on a LAN.
 */
export const AckPayloadSchema = z.object({
  kind: z.literal('ack'),
  sessionId: SessionIdSchema,
});
/**
 * Port prediction ("birthday" punch) between a NAT with address-dependent mapping
 * (the hard side) and one with endpoint-independent mapping (the easy side), run
 * before the PeerConnection exists (see src/nat/punch.ts). Steps:
 *   start  offerer -> answerer: which role each side plays, and a probe token;
 *   easy   the easy side's probe socket as the NAT maps it (address, port);
 *   hard   the hard side's sockets have sent toward it: spray its public address;
 *   fail   give up (the other side stops probing at once).
 */
export const PunchPayloadSchema = z.object({
  kind: z.literal('punch'),
  sessionId: SessionIdSchema,
  step: z.enum(['start', 'easy', 'hard', 'fail']),
  /** start: the sender's role. */
  role: z.enum(['easy', 'hard']).optional(),
  /** start: 16 random bytes, base64; probes carry it so stray datagrams are ignored. */
  token: z.string().regex(/^[A-Za-z0-9+/]{22}==$/).optional(),
  address: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  reason: z.string().max(256).optional(),
});
export type PunchPayload = z.infer<typeof PunchPayloadSchema>;
export const SignalPayloadSchema = z.discriminatedUnion('kind', [
  DescriptionPayloadSchema,
  CandidatePayloadSchema,
  ByePayloadSchema,
  AckPayloadSchema,
  PunchPayloadSchema,
]);
export type DescriptionPayload = z.infer<typeof DescriptionPayloadSchema>;
export type SignalPayload = z.infer<typeof SignalPayloadSchema>;

export const RouteKindSchema = z.enum(['direct', 'relay', 'upnp', 'public-port']);
export type RouteKind = z.infer<typeof RouteKindSchema>;
export const CandidateInfoSchema = z.object({
  type: z.string().max(16),
  address: z.string().max(64),
  port: z.number().int().min(0).max(65535),
});
export type CandidateInfo = z.infer<typeof CandidateInfoSchema>;
