/**
 * The envelopes between a peer and the signal server, both directions, each
 * discriminated by `type` (one JSON object per WebSocket text frame). Pure.
 */
import { z } from 'zod';
import { IceServerSchema, MAX_PUBLISHED_SERVICES, NameSchema, NatInfoSchema, PeerIdSchema, PeerInfoSchema, PublicKeySchema, PublishedServiceSchema, ServiceTypeSchema, SignatureSchema } from './schema-primitives.js';
import { CandidateInfoSchema, RouteKindSchema, SignalPayloadSchema } from './signal-payloads.js';

// ---- client -> server ----
export const RegisterSchema = z.object({
  type: z.literal('register'),
  v: z.number().int(),
  name: NameSchema,
  publicKey: PublicKeySchema,
  /** ed25519 signature over registerChallenge(nonce, name). */
  signature: SignatureSchema,
  /** Shared admission secret, when the server requires one. */
  secret: z.string().max(256).optional(),
});
/**
 * Presence is on demand: nobody is told about every peer. `list` pages through
 * who is online (by peer id, `cursor` is the last id of the previous page);
 * `lookup` asks for chosen peers and subscribes to their presence.
 */
/** Largest `list` page: a page of peers with 63-character names and NAT info stays far below MAX_MESSAGE_BYTES (~300 B each). */
export const MAX_LIST_PAGE = 100;
/** Targets per `lookup` message; the reply stays far below MAX_MESSAGE_BYTES, and re-subscribing after a reconnect takes few messages. */
export const MAX_LOOKUP_TARGETS = 64;
export const ListSchema = z.object({
  type: z.literal('list'),
  /** Peers with an id above this one (the last id of the previous page). */
  cursor: PeerIdSchema.optional(),
  limit: z.number().int().min(1).max(MAX_LIST_PAGE).optional(),
});
/** A peer is named by its name or its full peer id (names never look like ids). */
export const LookupTargetSchema = z.union([PeerIdSchema, NameSchema]);
/**
 * Ask whether peers are online; the server answers with a `lookup` and from then
 * on sends this connection `presence` join/leave/update for each target (a
 * bounded number of watches per connection, the oldest dropped first).
 */
export const LookupSchema = z.object({ type: z.literal('lookup'), targets: z.array(LookupTargetSchema).min(1).max(MAX_LOOKUP_TARGETS) });
export const SignalOutSchema = z.object({
  type: z.literal('signal'),
  to: PeerIdSchema,
  payload: SignalPayloadSchema,
});
export const PingSchema = z.object({ type: z.literal('ping'), id: z.number().int().optional() });
export const RouteReportSchema = z.object({
  type: z.literal('route'),
  peer: PeerIdSchema,
  kind: RouteKindSchema,
  local: CandidateInfoSchema,
  remote: CandidateInfoSchema,
  setupMs: z.number().nonnegative().optional(),
});
/** Relay ports per `relay-release` (a session holds one allocation per TURN server it was given). */
export const MAX_RELEASE_PORTS = 16;
/**
 * The peer closed a session whose ICE agent held allocations on this server's
 * relay (their relayed ports): free them now. libjuice does not delete its
 * allocation when its PeerConnection closes, so without this each closed
 * relayed session would hold one of the peer's allocations until it expires.
 * The server frees only allocations whose credentials are this peer's.
 */
export const RelayReleaseSchema = z.object({
  type: z.literal('relay-release'),
  ports: z.array(z.number().int().min(1).max(65535)).min(1).max(MAX_RELEASE_PORTS),
});
/** The peer's own NAT behaviour, measured after registering; re-sent after every re-registration. */
export const NatReportSchema = z.object({ type: z.literal('nat'), nat: NatInfoSchema });
/** The services the peer exposes, by name and type (replaces what it published before); re-sent after every re-registration. */
export const ServicesReportSchema = z.object({ type: z.literal('services'), services: z.array(PublishedServiceSchema).max(MAX_PUBLISHED_SERVICES) });
/** Services per `public-ports` request (and per peer, at most --max-ports-per-peer on the proxy). */
export const MAX_PUBLIC_SERVICES = 16;
/** CIDRs in one public port's client allow-list. */
export const MAX_PUBLIC_ALLOW = 16;
/**
 * One service to publish on the proxy: its name (as the peer exposes it), TCP or
 * UDP, and the public port asked for (0 or absent: any free port). Optional
 * per-port client allow-list (CIDRs; absent: everyone) and a cap in bytes/s.
 */
export const PublicServiceSchema = z.object({
  name: NameSchema,
  type: ServiceTypeSchema,
  port: z.number().int().min(0).max(65535).optional(),
  allow: z.array(z.string().min(2).max(64)).max(MAX_PUBLIC_ALLOW).optional(),
  rate: z.number().int().positive().max(2 ** 40).optional(),
});
/**
 * Reverse-proxy mode: ask the server (a proxy) for public ports that carry every
 * client connection to these services over a peer connection with the proxy. A
 * request replaces the peer's previous one: services left out are closed.
 */
export const PublicPortsRequestSchema = z.object({
  type: z.literal('public-ports'),
  services: z.array(PublicServiceSchema).max(MAX_PUBLIC_SERVICES),
});
export const ClientMessageSchema = z.discriminatedUnion('type', [
  RegisterSchema,
  ListSchema,
  LookupSchema,
  SignalOutSchema,
  PingSchema,
  RouteReportSchema,
  NatReportSchema,
  ServicesReportSchema,
  RelayReleaseSchema,
  PublicPortsRequestSchema,
]);
export type PublicService = z.infer<typeof PublicServiceSchema>;
export type PublicPortsRequest = z.infer<typeof PublicPortsRequestSchema>;
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
export type RegisterMessage = z.infer<typeof RegisterSchema>;
export type RouteReport = z.infer<typeof RouteReportSchema>;

// ---- server -> client ----
export const HelloSchema = z.object({
  type: z.literal('hello'),
  v: z.number().int(),
  nonce: z.string().min(16).max(128),
  server: z.string(),
  secretRequired: z.boolean(),
  /** The server is a reverse proxy: it gives public ports (`public-ports`). */
  reverseProxy: z.boolean().optional(),
});
export const RegisteredSchema = z.object({
  type: z.literal('registered'),
  peerId: PeerIdSchema,
  name: NameSchema,
  iceServers: z.array(IceServerSchema),
  /**
   * Kept for older clients and always empty now: a reply that grew with the
   * number of peers online broke registration (#8 item 2). Use `list`/`lookup`.
   */
  peers: z.array(PeerInfoSchema).optional(),
  /** How many peers are online (a count, not a list). */
  online: z.number().int().nonnegative().optional(),
});
export const PresenceSchema = z.object({
  type: z.literal('presence'),
  /** update: a peer already online published new information (its NAT behaviour). */
  event: z.enum(['join', 'leave', 'update']),
  peer: PeerInfoSchema,
});
/** One page of `list`; `next` is the cursor of the following page, absent on the last. */
export const PeersSchema = z.object({ type: z.literal('peers'), peers: z.array(PeerInfoSchema).max(MAX_LIST_PAGE), next: PeerIdSchema.optional() });
/** The answer to `lookup`: per target, the peer when online (absent: offline). */
export const LookupResultSchema = z.object({
  type: z.literal('lookup'),
  results: z.array(z.object({ target: LookupTargetSchema, peer: PeerInfoSchema.optional() })).max(MAX_LOOKUP_TARGETS),
});
export const SignalInSchema = z.object({
  type: z.literal('signal'),
  from: PeerInfoSchema,
  /**
   * The sender's IP as the signal server sees its connection, set by the server
   * on relayed `punch` payloads only (never taken from the sender; other payloads
   * do not reveal it). A punch probes only this address (src/nat/punch-plan.ts:
   * sprayTargetProblem).
   */
  fromIp: z.string().max(64).optional(),
  payload: SignalPayloadSchema,
});
export const PongSchema = z.object({ type: z.literal('pong'), id: z.number().int().optional() });
export const ErrorMessageSchema = z.object({
  type: z.literal('error'),
  code: z.string(),
  message: z.string(),
  /** The `type` of the message that caused it, when known. */
  ref: z.string().optional(),
});
/** Per service of a `public-ports` request: the public port it got, or why not. */
export const PublicPortResultSchema = z.object({
  name: NameSchema,
  type: ServiceTypeSchema,
  port: z.number().int().min(1).max(65535).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
/**
 * The answer to `public-ports`: the proxy's public address (where clients
 * connect; the seed's `ipv4`) and, per service, its port (`serverport`) or error.
 */
export const PublicPortsReplySchema = z.object({
  type: z.literal('public-ports'),
  address: z.string().max(64),
  proxy: z.string().max(128),
  results: z.array(PublicPortResultSchema).max(MAX_PUBLIC_SERVICES),
});
export const ServerMessageSchema = z.discriminatedUnion('type', [
  HelloSchema,
  RegisteredSchema,
  PresenceSchema,
  PeersSchema,
  LookupResultSchema,
  SignalInSchema,
  PongSchema,
  ErrorMessageSchema,
  PublicPortsReplySchema,
]);
export type PublicPortResult = z.infer<typeof PublicPortResultSchema>;
export type PublicPortsReply = z.infer<typeof PublicPortsReplySchema>;
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
export type HelloMessage = z.infer<typeof HelloSchema>;
export type RegisteredMessage = z.infer<typeof RegisteredSchema>;
export type PeersMessage = z.infer<typeof PeersSchema>;
export type LookupResultMessage = z.infer<typeof LookupResultSchema>;
export type SignalInMessage = z.infer<typeof SignalInSchema>;
export type ErrorMessage = z.infer<typeof ErrorMessageSchema>;
