/**
 * What the relay's handler files share: the server's options, its state and
 * its reply functions, built once by TurnServer and passed to every handler
 * (pion/turn passes a Request per packet; one object for the server's life
 * keeps the data path free of per-packet allocations).
 */
import type { Socket } from 'node:dgram';
import type { Socket as NetSocket } from 'node:net';
import type { StunMessage } from '../../src/stun/index.js';
import type { MappingLog } from '../../src/mapping/log.js';
import type { Logger } from '../../src/util/log.js';
import type { TokenBucket } from '../rate-limit.js';
import type { Allocation, AllocationTable, Client, DropCounts, Quotas } from './allocation.js';
import type { NonceIssuer } from './nonce.js';
import type { PeerPolicy } from './peer-filter.js';
import type { PortPool } from './port-pool.js';
import type { Reservations } from './reservations.js';

/** SOFTWARE attribute of Binding and Allocate responses. */
export const SOFTWARE = 'p2prc-nat relay';
/** Channel numbers: RFC 5766's 0x4000-0x7FFF, as coturn accepts (its own client uses 0x5000+). */
export const CHANNELS = { rfc5766Range: true } as const;

export interface TurnServerOptions {
  /** UDP listen address for STUN/TURN. */
  host: string;
  /** UDP port (3478 by default). */
  port: number;
  /** TURN over TCP (RFC 8656 §3.1): this port, false for none; by default the UDP port's number. */
  tcpPort?: number | false;
  /** TURN over TLS: its port and the PEM certificate chain and key; `selfSigned`: peers are told its fingerprint to pin. */
  tls?: { port: number; cert: string; key: string; selfSigned?: boolean };
  /**
   * The TLS port shared with signalling: a connection there that does not start
   * with a STUN message (an HTTPS request, a wss:// upgrade) is handed to this,
   * decrypted and with its first bytes unread (./stream-listener).
   */
  httpsFallback?: (sock: NetSocket) => void;
  /** Address relay sockets bind to (defaults to `host`). */
  relayBind?: string;
  /** Relay address advertised to clients (XOR-RELAYED-ADDRESS); for hosts behind 1:1 NAT. */
  publicIp?: string;
  /** Second IP of this host, for RFC 5780 NAT behaviour discovery (CHANGE-REQUEST, OTHER-ADDRESS). */
  altAddress?: string;
  /** Alternate port for RFC 5780 (default: the STUN port + 1). */
  altPort?: number;
  relayPorts: { min: number; max: number };
  /** Shared secret for REST credentials. */
  secret: string;
  realm: string;
  quotas: Quotas;
  /** Per-allocation relay cap, bytes/s each way (undefined: no cap). */
  bandwidth?: number;
  allowPrivatePeers: boolean;
  /**
   * Whether a peer id is online on the signal server (or within its reconnect
   * grace): credentials of a peer that is not stop working (./owner-gate).
   * Omitted: every user's credentials work until they expire.
   */
  ownerOnline?: (user: string) => boolean;
  /** This server's other ports (signalling) that must never be relayed to. */
  protectedPorts: number[];
  name?: string;
  mapping?: MappingLog;
  logger?: Logger;
}

export interface TurnStats {
  allocations: number;
  relayPortsInUse: number;
  packetsRelayed: number;
  bytesRelayed: number;
  malformed: number;
  /** Send indications dropped by the peer policy (a permission does not cover every port). */
  refused: number;
  /** Datagrams the data path dropped, by reason, over every allocation (DROP_REASONS). */
  dropped: DropCounts;
  /** Send indications and ChannelData from a client address with no allocation (freed, expired, never made). */
  noAllocation: number;
  /** Allocate requests answered with an error, by STUN error code (401 challenges included). */
  allocateFailures: Record<string, number>;
}

/** What an allocation holds besides its state: the relay socket and the optional bandwidth caps. */
export type Handle = { socket: Socket; bucketOut?: TokenBucket; bucketIn?: TokenBucket };
export type Alloc = Allocation<Handle>;

export interface TurnContext {
  readonly opts: TurnServerOptions;
  readonly log: Logger;
  readonly table: AllocationTable<Handle>;
  readonly pool: PortPool;
  readonly nonces: NonceIssuer;
  /** Ports reserved by EVEN-PORT with the R bit. */
  readonly reservations: Reservations<Socket>;
  readonly stats: TurnStats;
  /** The client-facing socket: set by listen(), unset by close(). */
  socket?: Socket;
  /** Binding sockets for RFC 5780: [primary, alt port, alt IP, alt IP + alt port]; just [primary] without --alt-ip. */
  binders: Socket[];
  /** The relay address clients are told (XOR-RELAYED-ADDRESS, RESPONSE-ORIGIN). */
  advertised: string;
  /** Which peers may be relayed to; set by listen() once the ports are known. */
  policy: PeerPolicy;
  /**
   * Sends bytes to `client`: on its connection when it came over TCP or TLS,
   * else from the primary UDP socket. False when they were dropped (a stream
   * client's backlog is full, or the server is closed).
   */
  sendTo(client: Client, data: Buffer | readonly Buffer[]): boolean;
  /** Sends `msg` to `client` with FINGERPRINT. */
  reply(client: Client, msg: StunMessage): void;
  /** Sends `msg` with MESSAGE-INTEGRITY under `key`, then FINGERPRINT. */
  replyAuth(client: Client, key: Buffer, msg: StunMessage): void;
}
