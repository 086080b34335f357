/**
 * ICE helpers (pure): WebRTC-style ICE server entries to node-datachannel's
 * form, the candidate lines we make ourselves, and the route a selected
 * candidate pair describes.
 */
import type { IceServer } from 'node-datachannel';
import type { CandidateInfo, IceServerConfig, RouteKind } from '../protocol/messages.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import type { SetupPhaseReport } from './setup-phases.js';

/** Parse `stun:host[:port]`, `turn:host[:port][?transport=udp|tcp]`, `turns:...`. */
export function parseIceUrl(url: string, username?: string, credential?: string): IceServer {
  const m = /^(stuns?|turns?):(\[[^\]]+\]|[^:?]+)(?::(\d+))?(?:\?transport=(udp|tcp))?$/i.exec(url.trim());
  if (!m) throw new P2prcError(ErrorCode.BadArgument, `bad ICE server URL "${url}" (expected stun:host:port or turn:host:port[?transport=udp|tcp])`);
  const scheme = m[1]!.toLowerCase();
  const hostname = m[2]!.replace(/^\[|\]$/g, '');
  const secure = scheme.endsWith('s');
  const port = m[3] ? Number(m[3]) : secure ? 5349 : 3478;
  const server: IceServer = { hostname, port };
  if (scheme.startsWith('turn')) {
    server.relayType = secure ? 'TurnTls' : m[4]?.toLowerCase() === 'tcp' ? 'TurnTcp' : 'TurnUdp';
    if (username !== undefined) server.username = username;
    if (credential !== undefined) server.password = credential;
  }
  return server;
}

export function toNdcIceServers(list: IceServerConfig[]): IceServer[] {
  const out: IceServer[] = [];
  for (const s of list) {
    for (const url of Array.isArray(s.urls) ? s.urls : [s.urls]) out.push(parseIceUrl(url, s.username, s.credential));
  }
  return out;
}

/** Priority of a srflx candidate (type preference 100, local preference 65535, component 1). */
export const SRFLX_PRIORITY = 1694498815;

/** A server-reflexive candidate line for an address only we know of: a router port mapping, a punched port. */
export function srflxCandidate(foundation: string, address: string, port: number, rport: number): string {
  return `a=candidate:${foundation} 1 UDP ${SRFLX_PRIORITY} ${address} ${port} typ srflx raddr 0.0.0.0 rport ${rport}`;
}

/** The type of an ICE candidate line (`host`, `srflx`, `prflx`, `relay`), undefined when it has none. */
export function candidateType(line: string): string | undefined {
  return /\btyp\s+([a-z]+)/i.exec(line)?.[1]?.toLowerCase();
}

/** The transport address of an ICE candidate line (`a=candidate:` or bare), undefined when it has none. */
export function candidateAddress(line: string): { address: string; port: number } | undefined {
  // foundation component transport priority address port typ ...
  const m = /^(?:a=)?candidate:\S+\s+\d+\s+\S+\s+\d+\s+(\S+)\s+(\d+)\s+typ\s/i.exec(line.trim());
  if (!m) return undefined;
  const port = Number(m[2]);
  return port > 0 && port <= 65535 ? { address: m[1]!, port } : undefined;
}

/** An SDP without its non-relay `a=candidate` lines (a relay-only session, --force-relay). */
export function relayOnlySdp(sdp: string): string {
  return sdp
    .split(/(?<=\n)/)
    .filter((l) => !/^a=candidate:/.test(l) || candidateType(l) === 'relay')
    .join('');
}

/**
 * Our offer with the DTLS client role taken (`a=setup:active` for libdatachannel's
 * `actpass`), so the answerer becomes the DTLS server. The offerer's ICE connects
 * first (it nominates, and the answerer's own check waits for libjuice's 50 ms
 * pacing), so its ClientHello leaves at once instead of waiting for the answerer's
 * ICE; and the answerer, done with DTLS first, starts SCTP, whose association the
 * offerer then completes half a round trip sooner. The answerer follows the offer
 * (RFC 5763: an answerer facing `active` is `passive`); the offer is signed as sent,
 * and each side still checks the other's certificate against the fingerprint.
 * The offerer starts the handshake once its ICE has connected, which needs the
 * answer; but libdatachannel hands the answer to ICE before it records its
 * fingerprint, so the answerer still sends no check before the offerer's ack
 * (candidate-gate.ts says what fails otherwise).
 */
export function dtlsClientOffer(sdp: string): string {
  return sdp.replace(/^a=setup:actpass(\r?)$/gm, 'a=setup:active$1');
}

export interface Route {
  kind: RouteKind;
  local: CandidateInfo;
  remote: CandidateInfo;
  setupMs: number;
  /** Our side of a relayed route reaches the relay over TCP or TLS (the local bridge), not UDP. */
  relayTransport?: 'tcp' | 'tls';
  /** How the setup went, phase by phase (setup-phases.ts): on the route reported at connecting. */
  phases?: SetupPhaseReport;
}

export function routeKind(localType: string, remoteType: string): RouteKind {
  return localType === 'relay' || remoteType === 'relay' ? 'relay' : 'direct';
}

export function describeRoute(r: Pick<Route, 'kind' | 'local' | 'remote' | 'relayTransport'>): string {
  const ep = (c: CandidateInfo): string => `${c.type} ${c.address.includes(':') ? `[${c.address}]` : c.address}:${c.port}`;
  return `${r.kind}${r.relayTransport ? ` (${r.relayTransport})` : ''} ${ep(r.local)} <-> ${ep(r.remote)}`;
}
