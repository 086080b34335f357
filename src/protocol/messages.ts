/**
 * Signalling protocol v1: every message between a peer and the signal server.
 * Defined once here and imported by both sides (like frp's pkg/msg). Pure: no I/O.
 *
 * Framing: one JSON object per WebSocket text frame, discriminated by `type`.
 * The payload of `signal` messages is end-to-end between peers; the server only
 * checks its shape and forwards it, and peers verify its signature.
 */
import { z } from 'zod';
import { ErrorCode, P2prcError } from './errors.js';
import { fastClientMessage } from './fast-check.js';

export const PROTOCOL_VERSION = 1;

/** Largest signalling message accepted (bytes of UTF-8 JSON). SDPs are ~1-3 KiB. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/** Peer id: hex of the first 20 bytes of sha256(raw ed25519 public key). */
export const PeerIdSchema = z.string().regex(/^[0-9a-f]{40}$/, 'peer id is 40 lowercase hex chars');
/** Names are what users type (`alice/web`): must not look like a peer id. */
export const NameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'name: 1-63 chars of A-Z a-z 0-9 . _ -, starting alphanumeric')
  .refine((n) => !/^[0-9a-f]{40}$/.test(n), 'name must not look like a peer id');
const B64 = z.string().regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'base64');
/** Raw 32-byte ed25519 public key, base64. */
export const PublicKeySchema = B64.refine((s) => Buffer.from(s, 'base64').length === 32, 'ed25519 public key is 32 bytes');
export const SignatureSchema = B64.refine((s) => Buffer.from(s, 'base64').length === 64, 'ed25519 signature is 64 bytes');

/** NAT behaviour (RFC 5780 terms) a peer measured for itself and published, so that two peers can plan a punch. */
export const BehaviourSchema = z.enum(['endpoint-independent', 'address-dependent', 'address-and-port-dependent', 'unknown']);
export const NatInfoSchema = z.object({
  /** False when the peer's address is its public one (no NAT; maybe a firewall). */
  natted: z.boolean(),
  mapping: BehaviourSchema,
  filtering: BehaviourSchema,
});
export type NatInfo = z.infer<typeof NatInfoSchema>;

export const PeerInfoSchema = z.object({
  peerId: PeerIdSchema,
  name: NameSchema,
  publicKey: PublicKeySchema,
  /** Published by the peer after it registered (`nat` message); unsigned, only a hint for punch planning. */
  nat: NatInfoSchema.optional(),
});
export type PeerInfo = z.infer<typeof PeerInfoSchema>;

/** WebRTC-style ICE server entry (same shape browsers take). */
export const IceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServerConfig = z.infer<typeof IceServerSchema>;

const SessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

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
export const ClientMessageSchema = z.discriminatedUnion('type', [
  RegisterSchema,
  ListSchema,
  LookupSchema,
  SignalOutSchema,
  PingSchema,
  RouteReportSchema,
  NatReportSchema,
  RelayReleaseSchema,
]);
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
export const ServerMessageSchema = z.discriminatedUnion('type', [
  HelloSchema,
  RegisteredSchema,
  PresenceSchema,
  PeersSchema,
  LookupResultSchema,
  SignalInSchema,
  PongSchema,
  ErrorMessageSchema,
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
export type HelloMessage = z.infer<typeof HelloSchema>;
export type RegisteredMessage = z.infer<typeof RegisteredSchema>;
export type PeersMessage = z.infer<typeof PeersSchema>;
export type LookupResultMessage = z.infer<typeof LookupResultSchema>;
export type SignalInMessage = z.infer<typeof SignalInSchema>;
export type ErrorMessage = z.infer<typeof ErrorMessageSchema>;

const CLIENT_TYPES = new Set(['register', 'list', 'lookup', 'signal', 'ping', 'route', 'nat', 'relay-release']);
const SERVER_TYPES = new Set(['hello', 'registered', 'presence', 'peers', 'lookup', 'signal', 'pong', 'error']);

/** Bytes of the challenge a peer signs to prove it holds its key. */
export function registerChallenge(nonce: string, name: string): Buffer {
  return Buffer.from(`p2prc-register/v${PROTOCOL_VERSION}\n${nonce}\n${name}`, 'utf8');
}

function summarize(err: z.ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/** A raw message's text, once its size is known to be within MAX_MESSAGE_BYTES. */
function textOf(raw: string | Buffer): string {
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (size > MAX_MESSAGE_BYTES) {
    throw new P2prcError(ErrorCode.TooLarge, `message of ${size} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte limit`);
  }
  return typeof raw === 'string' ? raw : raw.toString('utf8');
}

function decodeText<T>(text: string, schema: z.ZodType<T>, known: Set<string>, fast?: (value: Record<string, unknown>) => T | undefined): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new P2prcError(ErrorCode.BadJson, `malformed JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new P2prcError(ErrorCode.BadMessage, 'message must be a JSON object');
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') throw new P2prcError(ErrorCode.BadMessage, 'message has no string "type"');
  if (!known.has(type)) throw new P2prcError(ErrorCode.UnknownType, `unknown message type "${type.slice(0, 32)}"`);
  // A plainly valid message the fast path recognises is what the schema would return (fast-check.ts).
  const plain = fast?.(value as Record<string, unknown>);
  if (plain !== undefined) return plain;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new P2prcError(ErrorCode.BadMessage, `invalid "${type}" message: ${summarize(parsed.error)}`);
  return parsed.data;
}

function decode<T>(raw: string | Buffer, schema: z.ZodType<T>, known: Set<string>, fast?: (value: Record<string, unknown>) => T | undefined): T {
  return decodeText(textOf(raw), schema, known, fast);
}

/**
 * decodeClientMessage, with the message's text: the server relays a signal's
 * payload as its sender wrote it when that text is exactly the payload it
 * validated (signal-relay.ts).
 */
export function decodeClientFrame(raw: string | Buffer): { msg: ClientMessage; text: string } {
  const text = textOf(raw);
  return { msg: decodeText(text, ClientMessageSchema, CLIENT_TYPES, fastClientMessage), text };
}

/** Parse and validate a message received by the server. Throws P2prcError with a code. */
export function decodeClientMessage(raw: string | Buffer): ClientMessage {
  return decode(raw, ClientMessageSchema, CLIENT_TYPES, fastClientMessage);
}
/** Parse and validate a message received by a peer. Throws P2prcError with a code. */
export function decodeServerMessage(raw: string | Buffer): ServerMessage {
  return decode(raw, ServerMessageSchema, SERVER_TYPES);
}
export function encodeMessage(msg: ClientMessage | ServerMessage): string {
  return JSON.stringify(msg);
}
/** Best-effort `type` of a raw message, for error references; never throws. */
export function peekType(raw: string | Buffer): string | undefined {
  try {
    const v = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8')) as { type?: unknown };
    return typeof v?.type === 'string' ? v.type.slice(0, 32) : undefined;
  } catch {
    return undefined;
  }
}
