/**
 * The signalling protocol's building blocks: peer ids, names, keys, NAT
 * behaviour, peer and ICE-server entries, session ids. Pure zod schemas; the
 * messages that use them are in signal-payloads.ts (peer to peer) and
 * envelopes.ts (peer and server); messages.ts exports them all.
 */
import { z } from 'zod';

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

/** Services a peer publishes (`services` message): at most this many. */
export const MAX_PUBLISHED_SERVICES = 32;
/** A service's transport: a published service's and a public port's. */
export const ServiceTypeSchema = z.enum(['tcp', 'udp']);
/** A service a peer exposes, by name and transport (never its local address or port). */
export const PublishedServiceSchema = z.object({ name: NameSchema, type: ServiceTypeSchema });
export type PublishedService = z.infer<typeof PublishedServiceSchema>;

export const PeerInfoSchema = z.object({
  peerId: PeerIdSchema,
  name: NameSchema,
  publicKey: PublicKeySchema,
  /** Published by the peer after it registered (`nat` message); unsigned, only a hint for punch planning. */
  nat: NatInfoSchema.optional(),
  /**
   * The services the peer exposes (`services` message), so that a user (the browser
   * page) can pick one; unsigned, a hint: the exposer still refuses what it does not serve.
   */
  services: z.array(PublishedServiceSchema).max(MAX_PUBLISHED_SERVICES).optional(),
});
export type PeerInfo = z.infer<typeof PeerInfoSchema>;

/** WebRTC-style ICE server entry (same shape browsers take). */
export const IceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
  /**
   * `turns:` entries of a relay with a self-signed certificate: its SHA-256
   * fingerprint (Node's `fingerprint256` form, AA:BB:...), which the peer's TLS
   * bridge pins instead of checking a CA chain.
   */
  certFingerprint: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/).optional(),
});
export type IceServerConfig = z.infer<typeof IceServerSchema>;

export const SessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
