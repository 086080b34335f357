/**
 * When the peer's ICE candidates may reach our PeerConnection. The offerer adds
 * them once it has applied the answer. The answerer holds them until the offerer
 * acks the answer (or ACK_FALLBACK_MS after sending it, should the ack be lost):
 * no ICE check of ours may reach the offerer before it has applied our answer
 * (see AckPayloadSchema). This holds even though the offerer is the DTLS client
 * (dtlsClientOffer in ice.ts): libdatachannel gives the answer to its ICE agent
 * before it records the answer's fingerprint, and a check of ours that reached
 * the offerer earlier left a peer-reflexive pair there that the answer unfreezes at
 * once; over a short path (loopback, a LAN, a peer without NAT or behind a
 * full-cone one) ICE and the DTLS handshake can then finish inside that gap, and
 * the offerer fails our certificate ("certificate verify failed": no remote
 * description yet). Then the candidates likely to give
 * a direct path across NATs go first and the rest (`late`: private host
 * addresses, relays) LATE_DELAY_MS after the first of them, or LATE_MAX_HOLD_MS
 * after the gate opened, whichever comes first (candidate-order.ts says why).
 * Driven without sockets in its test.
 */

/** The answerer releases held candidates after this even without an ack (lost message). */
export const ACK_FALLBACK_MS = 2000;
/** Candidates from the peer held at most (a peer sends a handful; more is a misbehaving peer). */
export const MAX_HELD_CANDIDATES = 64;
/** Late candidates go this long after the first early one reached ICE: two of libjuice's 50 ms pacing slots. */
export const LATE_DELAY_MS = 100;
/** ...and at the latest this long after the gate opened (no early candidate: a peer with host candidates only). */
export const LATE_MAX_HOLD_MS = 250;

export interface CandidateGateOptions {
  /** Whether a candidate goes late (candidateOrder; never in a relay-only session, where all are relays). */
  late?: (candidate: string) => boolean;
}

export class CandidateGate {
  private readonly role: 'offerer' | 'answerer';
  /** Where a released candidate goes (the PeerConnection). */
  private readonly add: (candidate: string, mid: string) => void;
  private remoteDescriptionSet = false;
  /** Answerer: the offerer has applied our answer (see AckPayloadSchema). */
  private answerAcked = false;
  private ackTimer?: NodeJS.Timeout;
  private readonly pendingCandidates: { candidate: string; mid: string }[] = [];
  private readonly isLate: (candidate: string) => boolean;
  /** Late candidates released to ICE (after the first early one, or the max hold). */
  private lateReleased = false;
  private readonly lateCandidates: { candidate: string; mid: string }[] = [];
  private lateTimer?: NodeJS.Timeout;
  private lateMaxTimer?: NodeJS.Timeout;

  constructor(role: 'offerer' | 'answerer', add: (candidate: string, mid: string) => void, opts: CandidateGateOptions = {}) {
    this.role = role;
    this.add = add;
    this.isLate = opts.late ?? (() => false);
  }

  private get candidatesReady(): boolean {
    return this.remoteDescriptionSet && (this.role === 'offerer' || this.answerAcked);
  }

  /** A candidate only we know of (the punched endpoint): held until released, whatever the count. */
  hold(candidate: string, mid: string): void {
    this.pendingCandidates.push({ candidate, mid });
  }

  /** A candidate from the peer: added now, or held (up to MAX_HELD_CANDIDATES) until released. */
  offer(candidate: string, mid: string): void {
    if (!this.candidatesReady) {
      if (this.pendingCandidates.length < MAX_HELD_CANDIDATES) this.pendingCandidates.push({ candidate, mid });
      return;
    }
    this.release(candidate, mid);
  }

  /** The peer's description is applied (the offerer then flushes, after sending its ack). */
  descriptionApplied(): void {
    this.remoteDescriptionSet = true;
  }

  /** Add every held candidate (the early ones now, the late ones after them). */
  flush(): void {
    if (!this.lateReleased && !this.lateMaxTimer) this.lateMaxTimer = setTimeout(() => this.releaseLate(), LATE_MAX_HOLD_MS);
    for (const c of this.pendingCandidates.splice(0)) this.release(c.candidate, c.mid);
  }

  /** A candidate past the gate: to ICE, or held with the late ones. */
  private release(candidate: string, mid: string): void {
    if (!this.lateReleased && this.isLate(candidate)) {
      if (this.lateCandidates.length < MAX_HELD_CANDIDATES) this.lateCandidates.push({ candidate, mid });
      return;
    }
    this.add(candidate, mid);
    if (!this.lateReleased && !this.lateTimer) this.lateTimer = setTimeout(() => this.releaseLate(), LATE_DELAY_MS);
  }

  /** Add the late candidates now (the peer is behind our own NAT: its private host addresses are likely the path). */
  releaseLate(): void {
    if (this.lateReleased) return;
    this.lateReleased = true;
    clearTimeout(this.lateTimer);
    clearTimeout(this.lateMaxTimer);
    for (const c of this.lateCandidates.splice(0)) this.add(c.candidate, c.mid);
  }

  /** Whether late candidates still wait (tests, and the session's same-NAT check). */
  get holdingLate(): boolean {
    return !this.lateReleased;
  }

  /** Answerer: our answer went out; release the candidates after ACK_FALLBACK_MS if no ack comes. */
  answerSent(): void {
    this.ackTimer = setTimeout(() => this.acked(), ACK_FALLBACK_MS);
  }

  /** Answerer: the offerer applied our answer: start checking its candidates. */
  acked(): void {
    if (this.role !== 'answerer' || this.answerAcked) return;
    this.answerAcked = true;
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.flush();
  }

  /** The session closed. */
  stop(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    clearTimeout(this.lateTimer);
    clearTimeout(this.lateMaxTimer);
    this.lateReleased = true;
    this.lateCandidates.length = 0;
  }
}
