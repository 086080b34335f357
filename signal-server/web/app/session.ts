/**
 * The browser's PeerConnection to one Node peer, with the browser's own WebRTC
 * stack (plain RTCPeerConnection: the README says why not simple-peer). The
 * browser is always the offerer, as `p2prc connect` is:
 *
 *  - a negotiated control channel (`p2prc-ctl`, stream 0) before the offer,
 *    whose opening means SCTP is up (src/peer/control-channel.ts);
 *  - the offer is signed with our key and sent with the DTLS client role taken
 *    (the Node answerer then answers `passive`);
 *  - the answer is verified against the peer's key before it is applied, and a
 *    bad one is refused with `tampered` (the Node peer's own check and error);
 *  - its candidates are held until the answer is applied; then we `ack`;
 *  - relay only: iceTransportPolicy `relay`, no other candidate sent or taken.
 */
import type { BrowserIdentity, Ed25519 } from './identity.js';
import { peerIdOf } from './identity.js';
import { canonicalDescription, CONTROL_LABEL, dtlsClientOffer, relayOnlySdp, sendableCandidate, verifyDescription, candidateType, type DescriptionPayload, type PeerInfo } from './protocol.js';
import type { IceServerEntry, SignalConnection } from './signal.js';
import { BrowserStream } from './stream.js';

export interface CandidateInfo {
  type: string;
  address: string;
  port: number;
}
export interface RouteInfo {
  kind: 'direct' | 'relay';
  local: CandidateInfo;
  remote: CandidateInfo;
  setupMs: number;
}

export class SessionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const CONNECT_TIMEOUT_MS = 20_000;

/** ICE servers as RTCPeerConnection takes them: no `turns:` with a self-signed certificate (the browser would refuse it), no extra keys. */
export function browserIceServers(list: IceServerEntry[]): RTCIceServer[] {
  const out: RTCIceServer[] = [];
  for (const s of list) {
    const urls = (Array.isArray(s.urls) ? s.urls : [s.urls]).filter((u) => !(s.certFingerprint && /^turns:/i.test(u)));
    if (urls.length) out.push({ urls, ...(s.username !== undefined ? { username: s.username } : {}), ...(s.credential !== undefined ? { credential: s.credential } : {}) });
  }
  return out;
}

export class BrowserSession {
  readonly remote: PeerInfo;
  readonly relayOnly: boolean;
  readonly sessionId: string;
  readonly pc: RTCPeerConnection;
  route?: RouteInfo;
  closedWith?: SessionError;
  private readonly signal: SignalConnection;
  private readonly identity: BrowserIdentity;
  private readonly ed: Ed25519;
  private readonly heldCandidates: { candidate: string; mid: string }[] = [];
  private answerApplied = false;
  private readonly started = performance.now();
  private readonly ready: Promise<RouteInfo>;
  private settle!: { resolve: (r: RouteInfo) => void; reject: (e: SessionError) => void };
  private readonly onSignal: (ev: Event) => void;
  /** Channels we hold, so none is collected while open. */
  private readonly channels = new Set<RTCDataChannel>();

  constructor(o: { signal: SignalConnection; identity: BrowserIdentity; ed: Ed25519; remote: PeerInfo; relayOnly: boolean }) {
    this.signal = o.signal;
    this.identity = o.identity;
    this.ed = o.ed;
    this.remote = o.remote;
    this.relayOnly = o.relayOnly;
    const id = new Uint8Array(12);
    crypto.getRandomValues(id);
    this.sessionId = btoa(String.fromCharCode(...id)).replace(/\+/g, '-').replace(/\//g, '_');
    this.ready = new Promise<RouteInfo>((resolve, reject) => (this.settle = { resolve, reject }));
    this.ready.catch(() => undefined);
    this.pc = new RTCPeerConnection({ iceServers: browserIceServers(o.signal.iceServers), iceTransportPolicy: o.relayOnly ? 'relay' : 'all' });
    this.onSignal = (ev) => this.handleSignal((ev as CustomEvent).detail as { from: PeerInfo; payload: Record<string, unknown> });
    o.signal.addEventListener('signal', this.onSignal);
    const timer = setTimeout(() => this.close(new SessionError('ice-failed', `no path to ${this.remote.name} within ${CONNECT_TIMEOUT_MS / 1000}s (ICE ${this.pc.iceConnectionState})`)), CONNECT_TIMEOUT_MS);
    this.ready.then(() => clearTimeout(timer), () => clearTimeout(timer));
  }

  /** Offer, and resolve with the route once the control channel is open. */
  async connect(): Promise<RouteInfo> {
    const pc = this.pc;
    const ctl = pc.createDataChannel(CONTROL_LABEL, { negotiated: true, id: 0 });
    this.channels.add(ctl);
    ctl.onopen = () => void this.connected();
    pc.onicecandidate = (ev) => {
      const c = ev.candidate;
      if (!c?.candidate || !sendableCandidate(c.candidate, this.relayOnly)) return;
      this.signal.signal(this.remote.peerId, { kind: 'candidate', sessionId: this.sessionId, candidate: `a=${c.candidate}`, mid: c.sdpMid ?? '0' });
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed') this.close(new SessionError('ice-failed', `connection to ${this.remote.name} failed`));
      else if (pc.connectionState === 'closed' || (pc.connectionState === 'disconnected' && this.route)) this.close(new SessionError('ice-failed', `connection to ${this.remote.name} ${pc.connectionState}`));
    };
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    let sdp = dtlsClientOffer(offer.sdp ?? '');
    if (this.relayOnly) sdp = relayOnlySdp(sdp);
    const ts = Date.now();
    const signature = await this.identity.sign(canonicalDescription({ kind: 'offer', sessionId: this.sessionId, from: this.identity.peerId, to: this.remote.peerId, sdp, ts, relayOnly: this.relayOnly }));
    const payload: DescriptionPayload = { kind: 'offer', sessionId: this.sessionId, sdp, ts, signature, ...(this.relayOnly ? { relayOnly: true } : {}) };
    if (!this.signal.signal(this.remote.peerId, { ...payload })) this.close(new SessionError('peer-offline', 'signal server unreachable; cannot send the offer'));
    return this.ready;
  }

  whenConnected(): Promise<RouteInfo> {
    return this.ready;
  }

  /** A tunnel stream to one of the peer's TCP services. */
  openStream(service: string): BrowserStream {
    if (this.closedWith) throw this.closedWith;
    const s = new BrowserStream(this.pc, service);
    this.channels.add(s.dc);
    s.dc.addEventListener('close', () => this.channels.delete(s.dc));
    return s;
  }

  close(err?: SessionError): void {
    if (this.closedWith) return;
    this.closedWith = err ?? new SessionError('closed', 'session closed');
    this.signal.removeEventListener('signal', this.onSignal);
    this.settle.reject(this.closedWith);
    for (const dc of this.channels) dc.close();
    this.pc.close();
  }

  private async handleSignal(m: { from: PeerInfo; payload: Record<string, unknown> }): Promise<void> {
    const p = m.payload;
    if (p.sessionId !== this.sessionId || m.from?.peerId !== this.remote.peerId || this.closedWith) return;
    if (p.kind === 'answer') return this.onAnswer(p as unknown as DescriptionPayload);
    if (p.kind === 'candidate') {
      const c = { candidate: String(p.candidate), mid: String(p.mid) };
      if (this.relayOnly && candidateType(c.candidate) !== 'relay') return;
      if (this.answerApplied) await this.addCandidate(c);
      else this.heldCandidates.push(c);
      return;
    }
    if (p.kind === 'bye') {
      const reason = typeof p.reason === 'string' ? p.reason : 'no reason given';
      const code = /^([a-z-]+):/.exec(reason)?.[1] ?? 'peer-closed';
      this.close(new SessionError(code, `${this.remote.name} closed the session: ${reason}`));
    }
  }

  private async onAnswer(p: DescriptionPayload): Promise<void> {
    const v = await verifyDescription(this.ed, p, this.remote, this.identity.peerId, (raw) => peerIdOf(this.ed, raw));
    if (!v.ok) {
      this.signal.signal(this.remote.peerId, { kind: 'bye', sessionId: this.sessionId, reason: `tampered: ${v.reason}` });
      this.close(new SessionError('tampered', `refusing connection with ${this.remote.name}: ${v.reason}`));
      return;
    }
    try {
      await this.pc.setRemoteDescription({ type: 'answer', sdp: this.relayOnly ? relayOnlySdp(p.sdp) : p.sdp });
    } catch (err) {
      this.close(new SessionError('bad-message', `bad answer SDP from ${this.remote.name}: ${(err as Error).message}`));
      return;
    }
    this.answerApplied = true;
    this.signal.signal(this.remote.peerId, { kind: 'ack', sessionId: this.sessionId });
    for (const c of this.heldCandidates.splice(0)) await this.addCandidate(c);
  }

  private async addCandidate(c: { candidate: string; mid: string }): Promise<void> {
    try {
      await this.pc.addIceCandidate({ candidate: c.candidate.replace(/^a=/, ''), sdpMid: c.mid });
    } catch {
      /* a candidate the browser cannot use (another address family): ICE goes on without it */
    }
  }

  private async connected(): Promise<void> {
    const route = await this.readRoute();
    this.route = route;
    this.signal.send({ type: 'route', peer: this.remote.peerId, kind: route.kind, local: route.local, remote: route.remote, setupMs: Math.round(route.setupMs) });
    this.settle.resolve(route);
  }

  /** The selected candidate pair, from getStats. */
  async readRoute(): Promise<RouteInfo> {
    const stats = await this.pc.getStats();
    let pairId: string | undefined;
    stats.forEach((s: { type: string; selectedCandidatePairId?: string }) => {
      if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
    });
    const pair = (pairId ? stats.get(pairId) : undefined) as { localCandidateId: string; remoteCandidateId: string } | undefined;
    const cand = (id: string | undefined): CandidateInfo => {
      const c = (id ? stats.get(id) : undefined) as { candidateType?: string; address?: string; port?: number } | undefined;
      return { type: c?.candidateType ?? 'unknown', address: (c?.address ?? '').slice(0, 64), port: c?.port ?? 0 };
    };
    const local = cand(pair?.localCandidateId);
    const remote = cand(pair?.remoteCandidateId);
    return { kind: local.type === 'relay' || remote.type === 'relay' ? 'relay' : 'direct', local, remote, setupMs: performance.now() - this.started };
  }
}

/**
 * `direct host 192.0.2.2:5000 <-> prflx 192.0.2.2:41000`, as the Node peers print
 * routes. Chromium leaves out the address of a remote peer-reflexive candidate
 * in its stats (shown as `hidden`).
 */
export function describeRoute(r: RouteInfo): string {
  const ep = (c: CandidateInfo): string => `${c.type} ${c.address === '' ? 'hidden' : c.address.includes(':') ? `[${c.address}]` : c.address}:${c.port}`;
  return `${r.kind} ${ep(r.local)} <-> ${ep(r.remote)}`;
}
