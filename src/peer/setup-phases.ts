/**
 * The phases of a session's setup, timed (issue #9): marks taken as the setup
 * goes (connect asked, peer resolved, offer, answer, ICE, DTLS, SCTP, control
 * channel, first stream, first byte) and the phases between them. Pure: the
 * clock is passed in, and the session, node and connector take the marks.
 *
 * What each phase covers (the offerer, `connect`):
 *   lookupMs   connect asked -> the signal server's lookup reply (and key check)
 *   prepMs     -> offer sent: the NAT-check wait and punch planning (punch-coordinator.ts),
 *              a punch when one runs, the PeerConnection and its offer, the signature
 *   signalMs   -> the answer applied: one trip offer -> answerer -> answer, via the server
 *   iceMs      -> ICE connected (libjuice: a candidate pair succeeded)
 *   dtlsMs     -> the DTLS handshake finished (libdatachannel's log line; absent when two
 *              sessions were in DTLS at once and the line cannot be told apart: then
 *              dtlsSctpMs covers both)
 *   sctpMs     -> the PeerConnection "connected": the SCTP association is up
 *   controlMs  -> the control channel open (DCEP OPEN / ACK; control-channel.ts)
 *   streamMs   -> the first stream channel open (DCEP OPEN / ACK), counted from when it
 *              was asked for if that was later
 *   firstByteMs -> the first byte from the peer on that stream
 * The answerer (`expose`) starts at the offer: signalMs is its answer, ackMs the
 * wait for the offerer's ack (candidate-gate.ts), then ICE, DTLS, SCTP as above.
 * Phases follow the timeline in this order; a mark that comes before the one
 * listed ahead of it (ICE can connect before the ack arrives) gives a 0 phase.
 * totalMs is their sum: the setup time had the first stream been asked for at
 * once (a TCP client that comes later waits for nothing; `at.firstByte` is the
 * wall time).
 */

export type SetupMark =
  | 'start'
  | 'resolved'
  | 'offerReceived'
  | 'offerSent'
  | 'answerSent'
  | 'answerReceived'
  | 'ackReceived'
  | 'localCandidate'
  | 'remoteCandidate'
  | 'iceConnected'
  | 'dtlsConnected'
  | 'connected'
  | 'controlOpen'
  | 'streamAsked'
  | 'streamOpen'
  | 'firstByte';

/** Phases in timeline order: the phase's name and the mark that ends it. */
const TIMELINE: readonly (readonly [string, SetupMark])[] = [
  ['lookupMs', 'resolved'],
  ['prepMs', 'offerSent'],
  ['signalMs', 'answerReceived'],
  ['signalMs', 'answerSent'],
  ['ackMs', 'ackReceived'],
  ['iceMs', 'iceConnected'],
  ['dtlsMs', 'dtlsConnected'],
  ['sctpMs', 'connected'],
  ['controlMs', 'controlOpen'],
  ['streamMs', 'streamOpen'],
  ['firstByteMs', 'firstByte'],
];

export interface SetupPhaseReport {
  lookupMs?: number;
  prepMs?: number;
  signalMs?: number;
  ackMs?: number;
  iceMs?: number;
  dtlsMs?: number;
  sctpMs?: number;
  /** DTLS and SCTP together, when the DTLS mark is missing. */
  dtlsSctpMs?: number;
  controlMs?: number;
  streamMs?: number;
  firstByteMs?: number;
  /** The sum of the phases: the first mark to the last, less any wait for the first stream to be asked for. */
  totalMs: number;
  /** Every mark, in ms from the first (`start`). */
  at: Partial<Record<SetupMark, number>>;
  /** The start as wall-clock time (ms since the epoch), to line up two peers' marks. */
  startEpochMs: number;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export class SetupPhases {
  private readonly marks = new Map<SetupMark, number>();
  private readonly now: () => number;

  /** `start`: when the setup began (a connect asked, an offer received), on the `now` clock. */
  constructor(start: number, now: () => number = () => performance.now()) {
    this.now = now;
    this.marks.set('start', start);
  }

  /** Record `mark` now (or at `at`), once: later calls for the same mark are ignored. */
  mark(mark: SetupMark, at = this.now()): void {
    if (!this.marks.has(mark)) this.marks.set(mark, at);
  }

  /** Move the start earlier (a connect asked before the session was made); never later. */
  startedAt(at: number): void {
    const s = this.marks.get('start')!;
    if (at < s) this.marks.set('start', at);
  }

  has(mark: SetupMark): boolean {
    return this.marks.has(mark);
  }

  /** The phases from the marks taken so far. */
  report(): SetupPhaseReport {
    const start = this.marks.get('start')!;
    const at: Partial<Record<SetupMark, number>> = {};
    for (const [m, t] of this.marks) at[m] = round1(t - start);
    const out: SetupPhaseReport = { totalMs: 0, at, startEpochMs: Math.round(performance.timeOrigin + start) };
    let cursor = start;
    let total = 0;
    for (const [name, mark] of TIMELINE) {
      const t = this.marks.get(mark);
      if (t === undefined) continue;
      let from = cursor;
      // Time before the first stream was asked for is not setup.
      if (mark === 'streamOpen') from = Math.max(from, this.marks.get('streamAsked') ?? from);
      let key = name;
      if (mark === 'connected' && !this.marks.has('dtlsConnected')) key = 'dtlsSctpMs';
      const ms = Math.max(0, t - from);
      (out as unknown as Record<string, number>)[key] = round1(ms);
      total += ms;
      cursor = Math.max(cursor, t);
    }
    out.totalMs = round1(total);
    return out;
  }
}

/** A short human summary, e.g. `lookup 3, signal 10, ice 12, dtls 8, sctp 5, control 2 ms`. */
export function formatPhases(r: SetupPhaseReport): string {
  const parts: [string, number | undefined][] = [
    ['lookup', r.lookupMs],
    ['prep', r.prepMs],
    ['signal', r.signalMs],
    ['ack', r.ackMs],
    ['ice', r.iceMs],
    ['dtls', r.dtlsMs],
    ['sctp', r.sctpMs],
    ['dtls+sctp', r.dtlsSctpMs],
    ['control', r.controlMs],
    ['stream', r.streamMs],
    ['first byte', r.firstByteMs],
  ];
  return `${parts
    .filter((p): p is [string, number] => p[1] !== undefined)
    .map(([n, v]) => `${n} ${Math.round(v)}`)
    .join(', ')} ms`;
}

/**
 * Sessions in their DTLS handshake (ICE connected, PeerConnection not yet):
 * libdatachannel reports the end of a handshake only as a global log line, so
 * the line is given to the one session waiting for it, and to none when several
 * are (their dtlsMs is then missing; dtlsSctpMs covers it).
 */
export class DtlsWatch {
  private readonly waiting = new Set<() => void>();

  /** `onFinished` runs when a handshake ends while this session is the only one waiting. Returns the cancel. */
  wait(onFinished: () => void): () => void {
    this.waiting.add(onFinished);
    return () => this.waiting.delete(onFinished);
  }

  /** A "DTLS handshake finished" line. */
  finished(): void {
    if (this.waiting.size !== 1) return;
    const [only] = this.waiting;
    this.waiting.clear();
    only!();
  }

  /** libdatachannel's line for the end of a DTLS handshake. */
  static isFinishedLine(message: string): boolean {
    return message.includes('DTLS handshake finished');
  }
}

/** The process-wide watch (libdatachannel's logger is process-wide too). */
export const dtlsWatch = new DtlsWatch();
