/**
 * What a PeerSession is made from, what it reports and its states: the types
 * the session table, the node and tests share, apart from the session's code.
 */
import type { DataChannel, IceServer } from 'node-datachannel';
import type { PeerInfo, SignalPayload } from '../protocol/messages.js';
import type { P2prcError } from '../protocol/errors.js';
import type { Identity } from '../identity/keys.js';
import type { Route } from './ice.js';
import type { PunchResult } from './punch-run.js';
import type { Logger } from '../util/log.js';

/**
 * Give up on a connection attempt after this long. libjuice itself needs ~40 s
 * to declare failure; with TURN offered from the start, relayed pairs form in
 * well under a second, so 15 s is ample and keeps users from hanging.
 */
export const CONNECT_TIMEOUT_MS = 15_000;

export interface SessionOptions {
  identity: Identity;
  remote: PeerInfo;
  role: 'offerer' | 'answerer';
  sessionId?: string;
  iceServers: IceServer[];
  /** Answerer: a relayed path is likely (a symmetric NAT on either side), so it keeps its TURN servers (session-ice-servers.ts). */
  relayLikely?: boolean;
  /** Offerer: whether a TURN server is not known to refuse us (the relay probe; session-ice-servers.ts). */
  turnUsable?: (server: IceServer) => boolean;
  forceRelay?: boolean;
  /** The offer we answer asked for a relay-only session (its sender runs --force-relay). */
  remoteRelayOnly?: boolean;
  /** Local address ICE binds to (e.g. 127.0.0.1 in loopback tests). */
  bindAddress?: string;
  portRange?: [number, number];
  /** Our relay traffic goes over TCP or TLS through the local bridge (src/relay-bridge): a route on our relay candidate says so. */
  relayTransport?: 'tcp' | 'tls';
  /** A router port mapping for our ICE port: all sessions share that port (ICE UDP mux) and offer it as a candidate. */
  upnp?: { external: { address: string; port: number }; localPort: number };
  /**
   * A port-prediction punch run before the PeerConnection is made: on success ICE
   * binds the punched local port and (easy side) gets the punched remote endpoint.
   */
  prepare?: Promise<PunchResult | undefined>;
  sendSignal: (payload: SignalPayload) => boolean;
  log: Logger;
}

export interface SessionEvents {
  connected: [Route];
  /** ICE moved to another candidate pair after connecting (e.g. relay first, then direct). */
  'route-changed': [Route, Route];
  closed: [P2prcError | undefined];
  channel: [DataChannel];
}

export type SessionState = 'connecting' | 'connected' | 'closed';
