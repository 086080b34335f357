/**
 * The session table and signal routing: at most one session per remote peer,
 * and every signal payload from the signal server delivered to the right one.
 * An offer makes an answerer session, replacing an older session with that
 * peer, except when both sides offered at once (glare): then the lower peer id
 * keeps its own offer and ignores the other's. Answers, candidates, acks and
 * byes go to the sender's current session when the session id matches; `punch`
 * payloads go to the punch coordinator. Driven without sockets in its test.
 */
import { randomBytes } from 'node:crypto';
import { peerIdFromPublicKey } from '../identity/keys.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import type { DescriptionPayload, PeerInfo, PunchPayload, SignalInMessage } from '../protocol/messages.js';
import type { PunchResult } from './punch-run.js';
import type { SessionState } from './session.js';
import type { Logger } from '../util/log.js';

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
  create: (peer: PeerInfo, role: SessionRole, sessionId: string, prepare?: Promise<PunchResult | undefined>) => S;
  /** A new session is in the table (wire its events here). */
  added: (s: S, peer: PeerInfo, role: SessionRole) => void;
  /** The punch a new offerer session waits for (runs planning; may settle undefined). */
  offererPunch: (peer: PeerInfo, sessionId: string) => Promise<PunchResult | undefined>;
  /** The punch the other side started for `sessionId`, which our answerer session waits for, if any. */
  answererPunch: (sessionId: string, peerId: string) => Promise<PunchResult | undefined> | undefined;
  /** A `punch` payload (the punch coordinator's). */
  onPunch: (from: PeerInfo, p: PunchPayload) => void;
  log: Logger;
}

export class SessionTable<S extends TableSession> {
  private readonly sessions = new Map<string, S>();
  private readonly opts: SessionTableOptions<S>;

  constructor(opts: SessionTableOptions<S>) {
    this.opts = opts;
  }

  /** The session with `peer`, creating one (as offerer) when there is none usable. */
  session(peer: PeerInfo): S {
    const existing = this.sessions.get(peer.peerId);
    if (existing && existing.state !== 'closed') return existing;
    const sessionId = randomBytes(12).toString('base64url');
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

  private add(peer: PeerInfo, role: SessionRole, sessionId: string, prepare?: Promise<PunchResult | undefined>): S {
    const s = this.opts.create(peer, role, sessionId, prepare);
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
    if (p.kind === 'punch') return this.opts.onPunch(from, p);
    const current = this.sessions.get(from.peerId);
    if (p.kind === 'offer') {
      if (current && current.sessionId === p.sessionId) return;
      if (current && current.state !== 'closed') {
        // Both sides offered at once (glare): the lower peer id keeps its offer.
        if (current.role === 'offerer' && current.state === 'connecting' && this.opts.localPeerId < from.peerId) return;
        current.close();
      }
      const s = this.add(from, 'answerer', p.sessionId, this.opts.answererPunch(p.sessionId, from.peerId));
      s.handleDescription(p);
      return;
    }
    if (!current || current.sessionId !== p.sessionId) {
      this.opts.log.debug('signal for an unknown session', { from: from.name, kind: p.kind });
      return;
    }
    if (p.kind === 'answer') current.handleDescription(p);
    else if (p.kind === 'candidate') current.handleCandidate(p.candidate, p.mid, p.upnp === true);
    else if (p.kind === 'ack') current.handleAck();
    else if (p.kind === 'bye') {
      const tampered = p.reason?.startsWith(ErrorCode.Tampered);
      current.close(new P2prcError(tampered ? ErrorCode.Tampered : ErrorCode.PeerOffline, `${from.name} ended the session${p.reason ? `: ${p.reason}` : ''}`));
    }
  }
}
