/** p2prc-nat library API: everything the CLI does, importable. */
export { PeerNode, type PeerNodeOptions, PEER_WAIT_MS } from './peer/node.js';
export { PeerSession, CONNECT_TIMEOUT_MS } from './peer/session.js';
export { SignalClient } from './peer/signal-client.js';
export { applySctpTuning, currentSctpTuning, validateSctpTuning, DEFAULT_SCTP_TUNING, STOCK_SCTP, SCTP_LIMITS, type SctpTuning } from './peer/sctp-settings.js';
export { describeRoute, parseIceUrl, toNdcIceServers, type Route } from './peer/ice.js';
export { Exposer, parseServiceSpec, type ServiceTarget } from './tunnel/expose.js';
export { Connector, parseTarget, parseListen, type ConnectTarget } from './tunnel/connect.js';
export { TunnelStream, INITIAL_WINDOW, MAX_CHUNK } from './tunnel/stream.js';
export { UDP_PROTOCOL, udpLabel, udpServiceFromLabel } from './tunnel/frames.js';
export { UDP_CHANNEL_INIT, MAX_DATAGRAM, type UdpDropReason, type UdpDrops } from './tunnel/udp-datagrams.js';
export {
  UdpPublicPort,
  type UdpClient,
  type UdpPublicPortOptions,
  type UdpPortStats,
  type UdpSessionEnd,
  type UdpSessionEndReason,
  type UdpSessionStats,
} from './tunnel/udp-public-port.js';
export { UdpServiceSession, type UdpServiceEnd, type UdpServiceStats } from './tunnel/udp-service.js';
export { Identity, peerIdFromPublicKey, verifySignature } from './identity/keys.js';
export { KnownPeers } from './identity/known-peers.js';
export { signDescription, verifyDescription, canonicalDescription, sdpFingerprint } from './identity/signed-description.js';
export { MappingLog, readMappingFile, type MappingRow, type MappingFile } from './mapping/log.js';
export { readServersFile, type ServersFile, type ServerEntry } from './mapping/servers.js';
export * from './protocol/messages.js';
export { ErrorCode, P2prcError } from './protocol/errors.js';
export { createLogger, setLogLevel, type Logger } from './util/log.js';
export { resolveDataDir } from './util/paths.js';
