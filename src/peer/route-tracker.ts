/**
 * The route a session uses: the selected ICE candidate pair read as a Route
 * (direct, relay, or upnp when it goes through a router port mapping), read when
 * the session connects and again later, because ICE may move to another pair
 * after connecting. A change is reported once per change.
 */
import type { PeerConnection } from 'node-datachannel';
import { candidateAddress, candidateType, routeKind, type Route } from './ice.js';

/**
 * libjuice may carry the first packets over whichever pair worked first (often the
 * relay, when it is offered) and switch to a better one when nomination ends,
 * ~2.5 s later in the NAT lab. The route is read again at ICE "completed" and at
 * these times after connecting, so the printed and logged route is the one used.
 */
export const ROUTE_RECHECK_MS = [1000, 3000, 6000];

/** The selected candidate pair as node-datachannel reports it. */
export type SelectedPair = ReturnType<PeerConnection['getSelectedCandidatePair']>;

export interface RouteTrackerOptions {
  /** The PeerConnection's selected pair now (undefined before it exists; may throw while closing). */
  selectedPair: () => SelectedPair | undefined;
  /** Our router port mapping, when ICE runs on its port. */
  upnp?: { external: { address: string; port: number }; localPort: number };
  /** Our relay candidates reach the relay over TCP or TLS (the bridge): a route on one carries it. */
  relayTransport?: 'tcp' | 'tls';
  /** When the session began (performance.now()): a route's setupMs counts from here. */
  createdAt: number;
  /** ICE moved to another pair after connecting. */
  onChange: (now: Route, was: Route) => void;
}

export class RouteTracker {
  /** The route in use, once connected. */
  route?: Route;
  /** The peer's UPnP-mapped address, from its `upnp` candidate. */
  private remoteUpnp?: string;
  /** The peer's relayed candidates (`address:port`), as it signalled them. */
  private readonly remoteRelays = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private readonly opts: RouteTrackerOptions;

  constructor(opts: RouteTrackerOptions) {
    this.opts = opts;
  }

  /** A candidate the peer sent as its router port mapping: a direct route to it is `upnp`. */
  noteUpnpCandidate(candidate: string): void {
    const f = candidate.replace(/^a=/, '').split(' ');
    if (f.length >= 6) this.remoteUpnp = `${f[4]}:${f[5]}`;
  }

  /**
   * A candidate the peer signalled. Its relayed ones are remembered: libjuice may
   * report the pair it settles on with the peer's relayed address as a
   * peer-reflexive candidate (the checks from it arrived before, or instead of,
   * the pairing with the signalled one), which would read as a direct route.
   */
  noteRemoteCandidate(candidate: string): void {
    if (candidateType(candidate) !== 'relay') return;
    const a = candidateAddress(candidate);
    if (a) this.remoteRelays.add(`${a.address}:${a.port}`);
  }

  /** The session connected: read the route and schedule the re-reads. */
  connected(): Route {
    this.route = this.read();
    for (const ms of ROUTE_RECHECK_MS) this.timers.push(setTimeout(() => this.recheck(), ms).unref());
    return this.route;
  }

  /** Read the route again; report it when it changed. No-op before connecting and once stopped. */
  recheck(): void {
    if (this.stopped || !this.route) return;
    let now: Route;
    try {
      now = this.read();
    } catch {
      return; // closing
    }
    const was = this.route;
    const key = (r: Route): string => `${r.kind}|${r.relayTransport ?? ''}|${r.local.type}|${r.local.address}|${r.local.port}|${r.remote.type}|${r.remote.address}|${r.remote.port}`;
    if (now.local.type === 'unknown' || key(now) === key(was)) return;
    this.route = now;
    this.opts.onChange(now, was);
  }

  /** The session closed: no more re-reads. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
  }

  /** The selected candidate pair as a route. */
  private read(): Route {
    const pair = this.opts.selectedPair();
    const local = { type: pair?.local.type ?? 'unknown', address: pair?.local.address ?? '', port: pair?.local.port ?? 0 };
    const remote = { type: pair?.remote.type ?? 'unknown', address: pair?.remote.address ?? '', port: pair?.remote.port ?? 0 };
    // The peer's relayed address, whatever libjuice calls it: the path goes through the relay.
    if (remote.type === 'prflx' && this.remoteRelays.has(`${remote.address}:${remote.port}`)) remote.type = 'relay';
    let kind = routeKind(local.type, remote.type);
    // A direct route through a router port mapping (ours or the peer's) is `upnp`. Ours: our
    // ICE port's host candidate to a non-host peer, or the local candidate libjuice learned
    // from the peer's checks (prflx), which is the mapping's external address itself.
    const up = this.opts.upnp;
    const viaOurMapping = up && ((local.port === up.localPort && local.type === 'host' && remote.type !== 'host') || (local.address === up.external.address && local.port === up.external.port));
    if (kind === 'direct' && (this.remoteUpnp === `${remote.address}:${remote.port}` || viaOurMapping)) kind = 'upnp';
    const rt = local.type === 'relay' ? this.opts.relayTransport : undefined;
    return { kind, local, remote, setupMs: this.route?.setupMs ?? Math.round(performance.now() - this.opts.createdAt), ...(rt ? { relayTransport: rt } : {}) };
  }
}
