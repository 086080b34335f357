/**
 * The ICE servers a peer is handed on register: our own STUN/TURN relay and any
 * external ones, TURN with "TURN REST API" credentials (coturn's
 * `use-auth-secret`), so one secret serves our relay and coturn alike.
 */
import type { IceServerConfig } from '../src/protocol/messages.js';
import { restPassword, restUsername } from '../src/stun/credentials.js';

/**
 * Relay credentials are valid this long. A relayed session must refresh its
 * allocation with them, so they outlive any sensible session; coturn's REST
 * examples use a day too.
 */
export const CREDENTIAL_TTL_S = 24 * 3600;

export interface IceServerSource {
  /** Signs the credentials: the configured secret, else the server's random one. */
  secret: string;
  /**
   * Our relay, when it runs: the address it advertises, its UDP port, and its
   * TURN over TCP and TLS ports (with the TLS certificate's fingerprint when it
   * is self-signed).
   */
  relay?: { advertisedAddress: string; port: number; tcpPort?: number; tlsPort?: number; certFingerprint?: string };
  /** External `stun:`/`turn:` URLs. */
  external: readonly string[];
}

/**
 * ICE servers for one peer. `localAddress` is our address as this peer reached
 * us: what we advertise for the relay when it is bound to a wildcard address.
 */
export function iceServersFor(src: IceServerSource, localAddress: string, peerId: string, nowMs = Date.now()): IceServerConfig[] {
  const username = restUsername(Math.floor(nowMs / 1000) + CREDENTIAL_TTL_S, peerId);
  const credential = restPassword(src.secret, username);
  const out: IceServerConfig[] = [];
  if (src.relay) {
    const adv = src.relay.advertisedAddress;
    const host = adv === '0.0.0.0' || adv === '::' ? localAddress : adv;
    const r = src.relay;
    out.push({ urls: [`stun:${host}:${r.port}`, `turn:${host}:${r.port}?transport=udp`], username, credential });
    // Over TCP and TLS: what a peer whose UDP is blocked reaches through its bridge (src/relay-bridge).
    if (r.tcpPort !== undefined) out.push({ urls: `turn:${host}:${r.tcpPort}?transport=tcp`, username, credential });
    if (r.tlsPort !== undefined) out.push({ urls: `turns:${host}:${r.tlsPort}?transport=tcp`, username, credential, ...(r.certFingerprint ? { certFingerprint: r.certFingerprint } : {}) });
  }
  for (const url of src.external) {
    out.push(/^turns?:/i.test(url) ? { urls: url, username, credential } : { urls: url });
  }
  return out;
}
