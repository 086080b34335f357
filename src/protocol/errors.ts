/**
 * Every error that crosses a boundary (wire, CLI, library API) carries a stable
 * code. Codes are part of the protocol: peers and tests match on them.
 */
export const ErrorCode = {
  BadJson: 'bad-json',
  BadMessage: 'bad-message',
  UnknownType: 'unknown-type',
  TooLarge: 'too-large',
  NotRegistered: 'not-registered',
  AlreadyRegistered: 'already-registered',
  BadSignature: 'bad-signature',
  BadName: 'bad-name',
  NameTaken: 'name-taken',
  BadSecret: 'bad-secret',
  UnknownPeer: 'unknown-peer',
  PeerOffline: 'peer-offline',
  PeerCongested: 'peer-congested',
  RateLimited: 'rate-limited',
  UnsupportedVersion: 'unsupported-version',
  KeyChanged: 'key-changed',
  Tampered: 'tampered',
  UnknownService: 'unknown-service',
  ServiceUnavailable: 'service-unavailable',
  Timeout: 'timeout',
  IceFailed: 'ice-failed',
  Internal: 'internal',
  /** Reverse proxy: the public port asked for is held, outside --allow-ports, or cannot be bound; or the peer's port quota is used. */
  PortUnavailable: 'port-unavailable',
  /** Reverse proxy: this server does not give public ports. */
  NotAProxy: 'not-a-proxy',
  // Local errors (CLI, library API), not sent on the wire:
  /** A command-line value or library argument that cannot be parsed. */
  BadArgument: 'bad-argument',
  /** A data-dir file (identity, known_peers) that is not what it should be. */
  BadFile: 'bad-file',
  /** Another p2prc peer process holds the data dir's lock. */
  DataDirInUse: 'data-dir-in-use',
  /** No STUN server answered (UDP blocked, wrong address, server down). */
  StunUnreachable: 'stun-unreachable',
  /** The gateway refused or could not make a port mapping (UPnP, NAT-PMP). */
  PortMapFailed: 'port-map-failed',
  /** A gateway's answer that does not parse. */
  BadResponse: 'bad-response',
  /** A part that ships only with the source checkout (the bench) is not in this install. */
  NotInstalled: 'not-installed',
  /** Node's main thread stuck in a native call (src/util/watchdog.ts): the process ends itself. */
  MainThreadBlocked: 'main-thread-blocked',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class P2prcError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'P2prcError';
    this.code = code;
  }
}
