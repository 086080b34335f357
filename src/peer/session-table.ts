/**
 * The session table and signal routing: at most one session per remote peer,
 * and every signal payload from the signal server delivered to the right one.
 * An offer makes an answerer session, replacing an older session with that
 * peer, except when both sides offered at once (glare): then the lower peer id
 * keeps its own offer and ignores the other's. Answers, candidates, acks and
 * byes go to the sender's current session when the session id matches; `punch`
 * payloads go to the punch coordinator. An offer is verified, checked against
 * replays (replay-guard.ts) and, from a stranger, against the per-minute budget
 * (stranger-budget.ts) before it may touch any session: a refused offer leaves
 * the live session alone. Driven without sockets in its test.
 */
import { randomBytes } from 'node:crypto';
import { peerIdFromPublicKey } from '../identity/keys.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import type { DescriptionPayload, PeerInfo, PunchPayload, SignalInMessage } from '../protocol/messages.js';
import type { PunchResult } from './punch-run.js';
import type { SessionState } from './session.js';
import type { Logger } from '../util/log.js';
import type { VerifyResult } from '../identity/signed-description.js';
import { ReplayGuard } from './replay-guard.js';
import { StrangerBudget } from './stranger-budget.js';

export type SessionRole = 'offerer' | 'answerer';

/** What the table needs of a session: a PeerSession, or a fake in tests. */
export interface TableSession {
  readonly sessionId: string;
  readonly role: SessionRole;
  readonly state: SessionState;
  readonly remote: PeerInfo;
  handleDescription(p: DescriptionPayload): void;
  handleCandidate(candidate: string, mid: string, upnp?: boolean): void;
  handleAck(): void;
  /** Probe the P2P path of a connected session: true when the peer answers over it. */
  checkPath(): Promise<boolean>;
  close(err?: P2prcError): void;
  on(event: 'closed', listener: () => void): unknown;
}

export interface SessionTableOptions<S extends TableSession> {
  /** Our peer id: the glare rule compares it with the other side's. */
  localPeerId: string;
  /** Make a session; the table adds it. */
  create: (peer: PeerInfo, role: SessionRole, sessionId: string, prepare?: Promise<PunchResult | undefined>, remoteRelayOnly?: boolean) => S;
  /** A new session is in the table (wire its events here). */
  added: (s: S, peer: PeerInfo, role: SessionRole) => void;
  /** The punch a new offerer session waits for (runs planning; may settle undefined). */
  offererPunch: (peer: PeerInfo, sessionId: string) => Promise<PunchResult | undefined>;
  /** The punch the other side started for `sessionId`, which our answerer session waits for, if any. */
  answererPunch: (sessionId: string, peerId: string) => Promise<PunchResult | undefined> | undefined;
  /** A `punch` payload (the punch coordinator's), with the sender's IP as the signal server saw it. */
  onPunch: (from: PeerInfo, p: PunchPayload, fromIp: string | undefined) => void;
  /** Check a description's signature and age (verifyDescription, addressed to us). */
  verify: (p: DescriptionPayload, from: PeerInfo) => VerifyResult;
  /** Tell the peer its offer was refused (a bye for that session id; `reason` starts with the code). */
  refuse: (peer: PeerInfo, sessionId: string, reason: string) => void;
  /** Sessions accepted from strangers per minute (default STRANGER_SESSIONS_PER_MINUTE). */
  strangerSessionsPerMinute?: number;
  log: Logger;
}

export class SessionTable<S extends TableSession> {
  private readonly sessions = new Map<string, S>();
  private readonly opts: SessionTableOptions<S>;
  /** Signatures and session ids seen within the staleness window. */
  private readonly replays = new ReplayGuard();
  private readonly strangers: StrangerBudget;

  constructor(opts: SessionTableOptions<S>) {
    this.opts = opts;
    this.strangers = new StrangerBudget(opts.strangerSessionsPerMinute);
  }

  /** The session with `peer`, creating one (as offerer) when there is none usable. */
  session(peer: PeerInfo): S {
    const existing = this.sessions.get(peer.peerId);
    if (existing && existing.state !== 'closed') return existing;
    const sessionId = randomBytes(12).toString('base64url');
    this.replays.claim(sessionId, peer.peerId);
    return this.add(peer, 'offerer', sessionId, this.opts.offererPunch(peer, sessionId));
  }

  get(peerId: string): S | undefined {
    return this.sessions.get(peerId);
  }

  values(): IterableIterator<S> {
    return this.sessions.values();
  }

  /** Close every session and forget them (the node is stopping). */
  closeAll(): void {
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
  }

  /**
   * The peer left the signal server. A session still setting up cannot finish
   * without signalling and is closed. A connected one does not need the server:
   * it is kept when its P2P path answers a probe (the peer lost only its signal
   * connection, #8 item 5) and closed when it does not (the peer is gone).
   */
  onLeave(p: PeerInfo): void {
    const s = this.sessions.get(p.peerId);
    if (!s || s.state === 'closed') return;
    if (s.state !== 'connected') {
      s.close(new P2prcError(ErrorCode.PeerOffline, `${p.name} left the signal server`));
      return;
    }
    this.opts.log.info('peer left the signal server; checking the P2P path', { peer: p.name });
    void s.checkPath().then((alive) => {
      if (s.state === 'closed') return;
      if (alive) this.opts.log.info('P2P path alive; session kept', { peer: p.name, sessionId: s.sessionId });
      else s.close(new P2prcError(ErrorCode.PeerOffline, `${p.name} left the signal server and does not answer over the P2P path`));
    });
  }

  private add(peer: PeerInfo, role: SessionRole, sessionId: string, prepare?: Promise<PunchResult | undefined>, remoteRelayOnly?: boolean): S {
    const s = this.opts.create(peer, role, sessionId, prepare, remoteRelayOnly);
    this.sessions.set(peer.peerId, s);
    s.on('closed', () => {
      if (this.sessions.get(peer.peerId) === s) this.sessions.delete(peer.peerId);
    });
    this.opts.added(s, peer, role);
    return s;
  }

  /** A signal from the signal server: to the punch coordinator, a new answerer session, or the sender's session. */
  onSignal(m: SignalInMessage): void {
    const from = m.from;
    if (peerIdFromPublicKey(Buffer.from(from.publicKey, 'base64')) !== from.peerId) {
      this.opts.log.warn('dropping signal whose sender key does not match its peer id', { from: from.peerId });
      return;
    }
    const p = m.payload;
    if (p.kind === 'punch') return this.opts.onPunch(from, p, m.fromIp);
    const current = this.sessions.get(from.peerId);
    if (p.kind === 'offer') {
      if (current && current.sessionId === p.sessionId) return;
      if (!this.acceptOffer(from, p, current)) return;
      if (current && current.state !== 'closed') {
        // Both sides offered at once (glare): the lower peer id keeps its offer.
        if (current.role === 'offerer' && current.state === 'connecting' && this.opts.localPeerId < from.peerId) return;
        current.close();
      }
      const s = this.add(from, 'answerer', p.sessionId, this.opts.answererPunch(p.sessionId, from.peerId), p.relayOnly === true);
      s.handleDescription(p);
      return;
    }
    if (!current || current.sessionId !== p.sessionId) {
      this.opts.log.debug('signal for an unknown session', { from: from.name, kind: p.kind });
      return;
    }
    if (p.kind === 'answer') {
      const g = this.replays.check(p, from.peerId);
      if (!g.ok) return this.opts.log.warn('refusing answer', { from: from.name, sessionId: p.sessionId, reason: g.reason });
      this.replays.record(p, from.peerId);
      current.handleDescription(p);
    }
    else if (p.kind === 'candidate') current.handleCandidate(p.candidate, p.mid, p.upnp === true);
    else if (p.kind === 'ack') current.handleAck();
    else if (p.kind === 'bye') {
      current.close(new P2prcError(byeCode(p.reason), `${from.name} ended the session${p.reason ? `: ${p.reason}` : ''}`));
    }
  }

  /**
   * May this offer replace `current`? Refused, with a log line and without touching
   * any session: a bad signature or stale timestamp (the peer gets a tampered bye),
   * a replay or a session id already used, or a stranger past this minute's budget.
   */
  private acceptOffer(from: PeerInfo, p: DescriptionPayload, current: S | undefined): boolean {
    const log = this.opts.log;
    const v = this.opts.verify(p, from);
    if (!v.ok) {
      log.warn('refusing offer', { code: ErrorCode.Tampered, from: from.name, sessionId: p.sessionId, reason: v.reason });
      this.opts.refuse(from, p.sessionId, `${ErrorCode.Tampered}: ${v.reason}`);
      return false;
    }
    const g = this.replays.check(p, from.peerId);
    if (!g.ok) {
      log.warn('refusing offer', { from: from.name, sessionId: p.sessionId, reason: g.reason, live: current?.state === 'connected' });
      return false;
    }
    this.replays.record(p, from.peerId);
    if (current?.state !== 'connected' && !this.strangers.take()) {
      const b = this.strangers;
      // One line per refusal would let the flood fill the log: the first, then every 100th.
      if (b.refusedSinceLog === 1 || b.refusedSinceLog % 100 === 0) {
        log.warn('refusing offer: too many new sessions from peers not connected to us', { code: ErrorCode.RateLimited, from: from.name, perMinute: b.perMinute, refused: b.refusedSinceLog });
      }
      if (b.tell()) this.opts.refuse(from, p.sessionId, `${ErrorCode.RateLimited}: this peer takes ${b.perMinute} new sessions a minute from peers not connected to it; try again in a minute`);
      return false;
    }
    return true;
  }
}

/**
 * The error code a bye's reason carries (`<code>: <text>`, as `refuse` sends):
 * tampered and rate-limited are kept, anything else is the peer leaving.
 */
export function byeCode(reason: string | undefined): ErrorCode {
  if (reason?.startsWith(ErrorCode.Tampered)) return ErrorCode.Tampered;
  if (reason?.startsWith(ErrorCode.RateLimited)) return ErrorCode.RateLimited;
  return ErrorCode.PeerOffline;
}
