/**
 * Which of our ICE servers a session's PeerConnection gets (pure), for a fast
 * setup without losing the relayed fallback.
 *
 * libjuice paces every STUN transaction of an agent at least 50 ms after the one
 * before it, connectivity checks included, and starts its server transactions
 * first: a TURN Allocate, then the STUN Binding 50 ms later, then the Allocate
 * again with credentials (after the 401) 50 ms after that. A check armed while
 * these are pending waits behind them. Each side gets the other's server-
 * reflexive candidate about one round trip after its gathering began, right
 * inside that window, so its first check went 50-100 ms late; its own server-
 * reflexive candidate (the Binding's answer) came 50 ms late too, and a check
 * across two NATs waits on both sides' candidates and checks.
 *
 * Answerer: no TURN server, unless the session is relay-only or a relayed path
 * is likely (`relayLikely`: our NAT or the offerer's published one is
 * symmetric). One relay candidate, the offerer's, suffices for a relayed path:
 * the answerer's checks to it leave through the answerer's NAT toward the relay,
 * the relay lets them through once the offerer has made a permission for the
 * answerer's address (TURN permissions are per IP address, not port, so a
 * symmetric NAT's fresh mapping passes too), and the relay's answers return
 * through the mapping those checks opened. Without a TURN server the answerer
 * still needs its server-reflexive candidate: given only a TURN/UDP server, it
 * uses that server for STUN (a TURN server answers Binding requests).
 *
 * Offerer: its TURN server only, without the STUN server on the same host and
 * port, unless the relay probe found that TURN server refusing us
 * (`turnUsable`): the Allocate's answer carries our mapped address, so libjuice
 * takes the server-reflexive candidate from it, and both candidates come one
 * round trip to the server after the 401 instead of 1.5 and 2.5 (and no server
 * transaction is left to delay the checks). The cost: should the allocation
 * fail all the same (a quota reached, or the probe not answered yet and the
 * credentials bad), the session has no server-reflexive candidate either, and a
 * path across two filtering NATs is not found.
 *
 * A relay-only session (--force-relay on either side) keeps every server: each
 * side may use only its own relayed candidate there. So does a peer whose
 * relay is reached through the local bridge (UDP blocked, src/relay-bridge):
 * its relayed candidate is its only way out.
 */
import type { IceServer } from 'node-datachannel';

export interface SessionIceOptions {
  role: 'offerer' | 'answerer';
  /** Relay-only session: every server, as given. */
  relayOnly: boolean;
  /** Our relay is reached over TCP/TLS through the local bridge: every server, as given. */
  bridged?: boolean;
  /** Answerer: a relayed path is likely (a symmetric NAT on either side): keep the TURN servers. */
  relayLikely?: boolean;
  /** Offerer: whether this TURN server is not known to refuse us (the relay probe). */
  turnUsable?: (server: IceServer) => boolean;
}

const isTurnUdp = (s: IceServer): boolean => s.relayType === 'TurnUdp';
const isStun = (s: IceServer): boolean => s.relayType === undefined;

/** The ICE servers of one session (see the module comment). */
export function sessionIceServers(servers: readonly IceServer[], o: SessionIceOptions): IceServer[] {
  if (o.relayOnly || o.bridged) return [...servers];
  if (o.role === 'offerer') {
    const usable = servers.filter((s) => isTurnUdp(s) && o.turnUsable?.(s));
    // A STUN server on a usable TURN server's address: the Allocate gives the same mapping.
    return servers.filter((s) => !(isStun(s) && usable.some((t) => t.hostname === s.hostname && t.port === s.port)));
  }
  if (o.relayLikely) return [...servers];
  const stun = servers.filter(isStun);
  if (stun.length) return stun;
  // No STUN URL: a TURN server over UDP answers Binding requests on the same port.
  const turn = servers.find(isTurnUdp);
  return turn ? [{ hostname: turn.hostname, port: turn.port }] : [];
}
