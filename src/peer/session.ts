/**
 * One WebRTC PeerConnection between this peer and one remote peer, shared by
 * every tunnel stream between them (each stream its own data channel).
 * Owns the offer/answer exchange (signed), trickle ICE, the connect timeout and
 * the selected route.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import ndc from 'node-datachannel';
import type { DataChannel, DataChannelInitConfig, PeerConnection } from 'node-datachannel';
import type { DescriptionPayload, PeerInfo } from '../protocol/messages.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import { signDescription, verifyDescription } from '../identity/signed-description.js';
import { candidateAddress, candidateType, dtlsClientOffer, relayOnlySdp, srflxCandidate, type Route } from './ice.js';
import { RouteTracker } from './route-tracker.js';
import { CONTROL_LABEL, openControlChannel } from './control-channel.js';
import { CandidateGate } from './candidate-gate.js';
import { candidateOrder, srflxAddress } from './candidate-order.js';
import { PROBE_LABEL, probePath } from './path-probe.js';
import type { PunchResult } from './punch-run.js';
import { SetupPhases, dtlsWatch } from './setup-phases.js';
import { sessionIceServers } from './session-ice-servers.js';
import type { Logger } from '../util/log.js';
import { stalledWhy } from './stall-reason.js';

import { CONNECT_TIMEOUT_MS, type SessionEvents, type SessionOptions, type SessionState } from './session-options.js';

export { CONNECT_TIMEOUT_MS, type SessionEvents, type SessionOptions, type SessionState };

export class PeerSession extends EventEmitter<SessionEvents> {
  readonly remote: PeerInfo;
  readonly role: 'offerer' | 'answerer';
  readonly sessionId: string;
  /** Made once `prepare` (the punch) has settled. */
  private pc?: PeerConnection;
  /** The punch this session's ICE was given, when it found a path. */
  punch?: PunchResult;
  private pendingDescription?: DescriptionPayload;
  /** The PeerConnection reached "connected"; the offerer also waits for its control channel to open. */
  private pcConnected = false;
  private controlOpen = false;
  readonly createdAt = performance.now();
  /** When each step of the setup happened (setup-phases.ts); the route reports them. */
  readonly phases = new SetupPhases(this.createdAt);
  /** Stop waiting for the DTLS log line (setup-phases.ts, DtlsWatch). */
  private stopDtlsWait?: () => void;
  state: SessionState = 'connecting';
  closeError?: P2prcError;
  /** Every channel we hold, so none is garbage-collected while open (node-datachannel closes those). */
  private readonly channels = new Set<DataChannel>();
  private readonly opts: SessionOptions;
  private readonly log: Logger;
  /** The route in use: read at connecting, re-read at ICE "completed" and on a timer (route-tracker.ts). */
  private readonly routes: RouteTracker;
  /** The peer's candidates, held until the answer is applied (offerer) or acked (answerer): candidate-gate.ts. */
  private readonly candidates: CandidateGate;
  private readonly timer: NodeJS.Timeout;
  private readonly ready: Promise<Route>;
  /**
   * Relay-only session (--force-relay here, or asked for by the other side in its
   * signed description): no non-relay candidate is sent, put in our SDP, or taken
   * from the peer, so neither side learns the other's address. Only becomes true.
   */
  private relayOnly: boolean;
  /** The relayed addresses of our ICE agent's TURN allocations (freed at the server on close: relayedAddresses). */
  private readonly relayed: { address: string; port: number }[] = [];
  /** Server-reflexive addresses, ours and the peer's: one in both means one NAT, one LAN (candidate-order.ts). */
  private readonly srflx = { local: new Set<string>(), remote: new Set<string>() };
  /** A running check of the P2P path (after the peer left the signal server), see path-probe.ts. */
  private pathCheck?: Promise<boolean>;

  constructor(opts: SessionOptions) {
    super();
    this.opts = opts;
    this.remote = opts.remote;
    this.role = opts.role;
    this.sessionId = opts.sessionId ?? randomBytes(12).toString('base64url');
    this.log = opts.log.child(opts.remote.name);
    this.relayOnly = opts.forceRelay === true || opts.remoteRelayOnly === true;
    this.candidates = new CandidateGate(opts.role, (candidate, mid) => this.addCandidate(candidate, mid), {
      late: (candidate) => !this.relayOnly && candidateOrder(candidate) === 'late',
    });
    this.routes = new RouteTracker({
      selectedPair: () => this.pc?.getSelectedCandidatePair(),
      ...(opts.upnp ? { upnp: opts.upnp } : {}),
      ...(opts.relayTransport ? { relayTransport: opts.relayTransport } : {}),
      createdAt: this.createdAt,
      onChange: (now, was) => this.emit('route-changed', now, was),
    });
    this.ready = new Promise<Route>((resolve, reject) => {
      this.once('connected', resolve);
      this.once('closed', (err) => reject(err ?? new P2prcError(ErrorCode.IceFailed, 'session closed')));
    });
    this.ready.catch(() => undefined);
    if (opts.prepare) {
      opts.prepare.then(
        (r) => this.initOrClose(r),
        () => this.initOrClose(),
      );
    } else this.init();
    this.timer = setTimeout(() => {
      if (this.state === 'connecting') {
        const why = this.pcConnected ? 'connected, but the control channel did not open' : stalledWhy(this.pc);
        this.close(new P2prcError(ErrorCode.IceFailed, `no path to ${this.remote.name} within ${CONNECT_TIMEOUT_MS / 1000}s (${why})`));
      }
    }, CONNECT_TIMEOUT_MS);
  }

  /** init() after the punch: a failure there closes the session (nothing awaits this promise). */
  private initOrClose(punch?: PunchResult): void {
    try {
      this.init(punch);
    } catch (err) {
      this.close(new P2prcError(ErrorCode.IceFailed, `cannot set up the connection to ${this.remote.name}: ${(err as Error).message}`));
    }
  }

  private init(punch?: PunchResult): void {
    if (this.state === 'closed') return;
    const opts = this.opts;
    if (this.relayOnly) punch = undefined; // a punched path is a direct one
    if (punch) this.punch = punch;
    const portRange = punch ? ([punch.localPort, punch.localPort] as [number, number]) : opts.portRange;
    const pc = new ndc.PeerConnection(`p2prc-${this.sessionId}`, {
      iceServers: sessionIceServers(opts.iceServers, {
        role: this.role,
        relayOnly: this.relayOnly,
        bridged: opts.relayTransport !== undefined,
        ...(opts.relayLikely !== undefined ? { relayLikely: opts.relayLikely } : {}),
        ...(opts.turnUsable ? { turnUsable: opts.turnUsable } : {}),
      }),
      iceTransportPolicy: this.relayOnly ? 'relay' : 'all',
      ...(opts.bindAddress ? { bindAddress: opts.bindAddress } : {}),
      ...(portRange ? { portRangeBegin: portRange[0], portRangeEnd: portRange[1] } : {}),
      ...(opts.upnp ? { enableIceUdpMux: true, portRangeBegin: opts.upnp.localPort, portRangeEnd: opts.upnp.localPort } : {}),
    });
    pc.onLocalDescription((sdp, type) => this.onLocalDescription(sdp, type));
    pc.onLocalCandidate((candidate, mid) => {
      if (candidateType(candidate) === 'relay') {
        const at = candidateAddress(candidate);
        if (at) this.relayed.push(at);
      }
      if (this.relayOnly && candidateType(candidate) !== 'relay') return;
      this.phases.mark('localCandidate');
      this.noteSrflx('local', candidate);
      this.opts.sendSignal({ kind: 'candidate', sessionId: this.sessionId, candidate, mid });
    });
    pc.onStateChange((state) => this.onState(state));
    pc.onIceStateChange((state) => {
      if (state === 'connected' && !this.phases.has('iceConnected')) {
        this.phases.mark('iceConnected');
        if (!this.pcConnected) this.stopDtlsWait = dtlsWatch.wait(() => this.phases.mark('dtlsConnected'));
      }
      if (state === 'completed' && this.state === 'connected') this.routes.recheck();
    });
    pc.onDataChannel((dc) => {
      this.hold(dc);
      if (dc.getLabel() === CONTROL_LABEL || dc.getLabel() === PROBE_LABEL) return;
      this.emit('channel', dc);
    });
    this.pc = pc;
    if (punch?.remote) {
      // The hard side's punched public port: a server-reflexive candidate only we know of.
      this.candidates.hold(srflxCandidate('punch1', punch.remote.address, punch.remote.port, 0), '0');
    }
    if (this.role === 'offerer') {
      // A data channel before negotiation puts the SCTP application section in the offer;
      // we report connected only once it is open (the race in control-channel.ts).
      openControlChannel(pc, (dc) => this.hold(dc), () => {
        this.phases.mark('controlOpen');
        this.controlOpen = true;
        this.maybeConnected();
      });
    } else {
      // The answerer has no channel of its own to wait for. Streams are opened by the
      // offerer (connect); an answerer that opens one at "connected" can still meet the
      // race described in control-channel.ts (a fix is to open a control channel after
      // applying the offer: not taken yet, see the closing note of this change).
      this.controlOpen = true;
    }
    const d = this.pendingDescription;
    this.pendingDescription = undefined;
    if (d) this.handleDescription(d);
  }

  /** Our relayed candidates' addresses: the TURN allocations this session's ICE agent made. */
  get relayedAddresses(): readonly { address: string; port: number }[] {
    return this.relayed;
  }

  /** The route in use, once connected (updated when ICE moves to another pair). */
  get route(): Route | undefined {
    return this.routes.route;
  }

  /** Resolves with the route once connected; rejects when the session fails or closes. */
  whenConnected(): Promise<Route> {
    return this.ready;
  }

  /**
   * Check the P2P path with a probe channel (path-probe.ts): true when the peer
   * answers over it. Concurrent calls share one probe.
   */
  checkPath(): Promise<boolean> {
    if (this.state !== 'connected' || !this.pc) return Promise.resolve(false);
    if (this.pathCheck) return this.pathCheck;
    const check = probePath(this.pc, (dc) => this.hold(dc)).then((alive) => {
      if (this.pathCheck === check) this.pathCheck = undefined;
      return alive && this.state === 'connected';
    });
    this.pathCheck = check;
    return check;
  }

  /**
   * Whether the session is usable for a new stream: false once closed, and while a
   * path check runs, its outcome (a stream opened on a dead path would only time out).
   */
  async usable(): Promise<boolean> {
    if (this.pathCheck) await this.pathCheck;
    return this.state !== 'closed';
  }

  /**
   * A new data channel to the peer, held until it closes. `init` is passed to
   * createDataChannel (a UDP session's channel: `{ unordered: true, maxRetransmits: 0 }`);
   * without it the channel is ordered and reliable.
   */
  openChannel(label: string, protocol: string, init?: Omit<DataChannelInitConfig, 'protocol'>): DataChannel {
    if (this.state === 'closed' || !this.pc) throw this.closeError ?? new P2prcError(ErrorCode.IceFailed, this.state === 'closed' ? 'session closed' : 'session not set up yet');
    this.phases.mark('streamAsked');
    const dc = this.pc.createDataChannel(label, { ...init, protocol });
    this.hold(dc);
    return dc;
  }

  release(dc: DataChannel): void {
    this.channels.delete(dc);
  }

  get openChannels(): number {
    return this.channels.size;
  }

  /** An offer (we are answerer) or the answer to our offer; verified before use. */
  handleDescription(p: DescriptionPayload): void {
    if (this.state === 'closed') return;
    const expected = this.role === 'offerer' ? 'answer' : 'offer';
    if (p.kind !== expected) {
      this.log.warn('ignoring unexpected description', { got: p.kind, expected });
      return;
    }
    if (!this.pc) {
      this.pendingDescription = p; // the punch is still running
      return;
    }
    const v = verifyDescription(p, this.remote, this.opts.identity.peerId);
    if (!v.ok) {
      this.opts.sendSignal({ kind: 'bye', sessionId: this.sessionId, reason: `${ErrorCode.Tampered}: ${v.reason}` });
      this.close(new P2prcError(ErrorCode.Tampered, `refusing connection with ${this.remote.name}: ${v.reason}`));
      return;
    }
    if (p.relayOnly && !this.relayOnly) {
      // Our offer went out with every candidate; from now on we send and use relay ones only.
      this.relayOnly = true;
      this.log.info('the peer asked for a relay-only session (--force-relay)');
    }
    try {
      this.pc.setRemoteDescription(this.relayOnly ? relayOnlySdp(p.sdp) : p.sdp, p.kind);
    } catch (err) {
      this.close(new P2prcError(ErrorCode.BadMessage, `bad ${p.kind} SDP from ${this.remote.name}: ${(err as Error).message}`));
      return;
    }
    this.candidates.descriptionApplied();
    this.phases.mark(p.kind === 'answer' ? 'answerReceived' : 'offerReceived');
    if (this.role === 'offerer') {
      this.opts.sendSignal({ kind: 'ack', sessionId: this.sessionId });
      this.candidates.flush();
    }
  }

  /** Offerer applied our answer: start checking its candidates. */
  handleAck(): void {
    this.phases.mark('ackReceived');
    this.candidates.acked();
  }

  handleCandidate(candidate: string, mid: string, upnp = false): void {
    if (this.state === 'closed') return;
    if (upnp) this.routes.noteUpnpCandidate(candidate);
    this.routes.noteRemoteCandidate(candidate);
    this.phases.mark('remoteCandidate');
    this.noteSrflx('remote', candidate);
    this.candidates.offer(candidate, mid);
  }

  close(err?: P2prcError): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeError = err;
    clearTimeout(this.timer);
    this.stopDtlsWait?.();
    this.routes.stop();
    this.candidates.stop();
    if (err) this.log.warn('session closed', { code: err.code, reason: err.message });
    else this.log.debug('session closed');
    for (const dc of this.channels) {
      try {
        dc.close();
      } catch {
        /* already closed */
      }
    }
    try {
      this.pc?.close();
    } catch {
      /* already closed */
    }
    this.emit('closed', err);
    this.channels.clear();
  }

  private hold(dc: DataChannel): void {
    this.channels.add(dc);
    dc.onClosed(() => this.channels.delete(dc));
  }

  /** A server-reflexive address, ours or the peer's: the same on both sides releases the late candidates. */
  private noteSrflx(side: 'local' | 'remote', candidate: string): void {
    const a = srflxAddress(candidate);
    if (!a || !this.candidates.holdingLate) return;
    this.srflx[side].add(a);
    const other = this.srflx[side === 'local' ? 'remote' : 'local'];
    if (other.has(a)) this.candidates.releaseLate();
  }

  private addCandidate(candidate: string, mid: string): void {
    if (this.relayOnly && candidateType(candidate) !== 'relay') return;
    try {
      this.pc?.addRemoteCandidate(candidate, mid);
    } catch (err) {
      this.log.debug('ignoring bad remote candidate', { candidate, err });
    }
  }

  private onLocalDescription(sdp: string, type: string): void {
    if (type !== 'offer' && type !== 'answer') return;
    // The offerer is the DTLS client: see dtlsClientOffer (ice.ts) and CONTROL_STREAM_ID.
    if (type === 'offer') sdp = dtlsClientOffer(sdp);
    const payload = signDescription(this.opts.identity, {
      kind: type,
      sessionId: this.sessionId,
      to: this.remote.peerId,
      sdp: this.relayOnly ? relayOnlySdp(sdp) : sdp,
      ts: Date.now(),
      relayOnly: this.relayOnly,
    });
    if (!this.opts.sendSignal(payload)) {
      this.close(new P2prcError(ErrorCode.PeerOffline, 'signal server unreachable; cannot send the ' + type));
      return;
    }
    this.phases.mark(type === 'offer' ? 'offerSent' : 'answerSent');
    if (type === 'answer') this.candidates.answerSent();
    const up = this.opts.upnp;
    if (up && !this.relayOnly) {
      // The router forwards external:port to our ICE port: offer it like a server-reflexive candidate.
      const cand = srflxCandidate('upnp1', up.external.address, up.external.port, up.localPort);
      this.opts.sendSignal({ kind: 'candidate', sessionId: this.sessionId, candidate: cand, mid: '0', upnp: true });
    }
  }

  private onState(state: string): void {
    if (state === 'connected') {
      this.phases.mark('connected');
      this.stopDtlsWait?.();
      this.pcConnected = true;
      this.maybeConnected();
    } else if (state === 'failed') {
      this.close(new P2prcError(ErrorCode.IceFailed, `connection to ${this.remote.name} failed`));
    } else if (state === 'closed' || (state === 'disconnected' && this.state === 'connected')) {
      this.close(new P2prcError(ErrorCode.IceFailed, `connection to ${this.remote.name} ${state}`));
    }
  }

  private maybeConnected(): void {
    if (this.state === 'connecting' && this.pcConnected && this.controlOpen) {
      clearTimeout(this.timer);
      this.state = 'connected';
      const route = this.routes.connected();
      this.emit('connected', { ...route, phases: this.phases.report() });
    }
  }
}
