/**
 * When the peer's ICE candidates may reach our PeerConnection. The offerer adds
 * them once it has applied the answer; the answerer holds them until the offerer
 * acks the answer (or ACK_FALLBACK_MS after sending it, should the ack be lost),
 * so no ICE check, and no DTLS handshake, reaches the offerer before it knows the
 * answer's fingerprint (see AckPayloadSchema). Driven without sockets in its test.
 */

/** The answerer releases held candidates after this even without an ack (lost message). */
export const ACK_FALLBACK_MS = 2000;
/** Candidates from the peer held at most (a peer sends a handful; more is a misbehaving peer). */
export const MAX_HELD_CANDIDATES = 64;

export class CandidateGate {
  private readonly role: 'offerer' | 'answerer';
  /** Where a released candidate goes (the PeerConnection). */
  private readonly add: (candidate: string, mid: string) => void;
  private remoteDescriptionSet = false;
  /** Answerer: the offerer has applied our answer (see AckPayloadSchema). */
  private answerAcked = false;
  private ackTimer?: NodeJS.Timeout;
  private readonly pendingCandidates: { candidate: string; mid: string }[] = [];

  constructor(role: 'offerer' | 'answerer', add: (candidate: string, mid: string) => void) {
    this.role = role;
    this.add = add;
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
    this.add(candidate, mid);
  }

  /** The peer's description is applied (the offerer then flushes, after sending its ack). */
  descriptionApplied(): void {
    this.remoteDescriptionSet = true;
  }

  /** Add every held candidate. */
  flush(): void {
    for (const c of this.pendingCandidates.splice(0)) this.add(c.candidate, c.mid);
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
  }
}
