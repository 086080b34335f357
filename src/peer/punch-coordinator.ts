/**
 * Punch coordination for one peer: decides, per session, whether a birthday
 * punch is worth running (our NAT check against the other peer's published
 * behaviour), starts the PunchRuns (punch-run.ts) within a bound on how many run
 * at once, answers the other side's `punch` messages, and hands each session
 * the result its ICE should use.
 *
 * Trust (issue #8, the punch as a flood cannon): a punch runs only inside a
 * session we take part in, as the offerer that planned it (our own connect) or
 * as an exposer answering a peer that is about to offer for a service; a `start`
 * at a peer that exposes nothing is dropped without a word. Every address a run
 * probes must be the one the signal server saw the other peer at (PunchRun.handle),
 * and every run is charged against a per-peer cooldown and a global budget of
 * datagrams per minute (punch-budget.ts).
 */
import { randomBytes } from 'node:crypto';
import type { PeerInfo, PunchPayload } from '../protocol/messages.js';
import { isEasy, isHard, planPunch, punchCost, type PunchRole } from '../nat/punch-plan.js';
import { PunchBudget } from '../nat/punch-budget.js';
import { PunchRun, PUNCH_TIMEOUT_MS, type PunchResult } from './punch-run.js';
import type { SelfChecks } from './self-checks.js';
import type { SignalClient } from './signal-client.js';
import type { Logger } from '../util/log.js';

/** A new session waits at most this long for our own NAT check before planning. */
export const NAT_WAIT_MS = 2500;
/** At most this many punches at once (each holds up to 256 sockets). */
export const MAX_PUNCHES = 4;
/** At most one refusal log line per this interval (the rest are counted): a flood of starts must not flood the log. */
export const REFUSAL_LOG_INTERVAL_MS = 1000;

export interface PunchCoordinatorOptions {
  signal: SignalClient;
  /** Our NAT behaviour, public IP and STUN server. */
  checks: SelfChecks;
  /** PeerNodeOptions.punch and .forceRelay: see `enabled`. */
  punch?: boolean;
  forceRelay?: boolean;
  bindAddress?: string;
  /**
   * Whether this peer serves incoming sessions (it exposes a service): only then
   * may a peer that has no session with us start a punch here (its offer follows).
   */
  accepting: () => boolean;
  /** Cooldown and datagram budget (tests pass their own). */
  budget?: PunchBudget;
  log: Logger;
}

export class PunchCoordinator {
  /** Punch runs by session id, with the peer they are with; kept a while after they end. */
  private readonly punches = new Map<string, { peerId: string; run: PunchRun }>();
  private activePunches = 0;
  private readonly opts: PunchCoordinatorOptions;
  private readonly budget: PunchBudget;
  private lastRefusalLog = 0;
  private refusalsNotLogged = 0;

  constructor(opts: PunchCoordinatorOptions) {
    this.opts = opts;
    this.budget = opts.budget ?? new PunchBudget();
  }

  private get log(): Logger {
    return this.opts.log;
  }

  /** Punching is on unless turned off, relayed only, or a router port mapping makes us reachable. */
  get enabled(): boolean {
    return this.opts.punch !== false && !this.opts.forceRelay && !this.opts.checks.portMapping;
  }

  /** Offerer: wait (bounded) for our NAT check, plan, and punch when the pair of NATs calls for it. */
  async asOfferer(peer: PeerInfo, sessionId: string): Promise<PunchResult | undefined> {
    const checks = this.opts.checks;
    const { natReady, mappingReady } = checks;
    if (!natReady || !mappingReady) return undefined;
    const remote = this.opts.signal.peerById(peer.peerId)?.nat ?? peer.nat;
    // A peer that is neither side of a punch (public, open filtering, not measured)
    // punches with nobody, whatever our NAT: the offer need not wait for our check.
    if (!isEasy(remote) && !isHard(remote)) return undefined;
    const within = (p: Promise<void>): Promise<unknown> => Promise.race([p, new Promise((r) => setTimeout(r, NAT_WAIT_MS).unref())]);
    // Our mapping decides whether we could be the hard side; only as a possible easy
    // side (the peer is symmetric) do we need our filtering, which takes longer to learn.
    await within(mappingReady);
    if (isHard(remote) && !isHard(checks.natInfo)) await within(natReady);
    const role = planPunch(checks.natInfo, remote);
    if (!role) return undefined;
    const run = await this.start(peer, sessionId, role, randomBytes(16), true);
    if (typeof run === 'string') {
      this.log.info('punch: not trying port prediction', { peer: peer.name, role, reason: run });
      return undefined;
    }
    return run.result;
  }

  /** Answerer: the result of the punch run for `sessionId` with `peerId`, if one was started. */
  resultFor(sessionId: string, peerId: string): Promise<PunchResult | undefined> | undefined {
    const punch = this.punches.get(sessionId);
    return punch?.peerId === peerId ? punch.run.result : undefined;
  }

  /** A new run, or why none was started. */
  private async start(peer: PeerInfo, sessionId: string, role: PunchRole, token: Buffer, initiator: boolean): Promise<PunchRun | string> {
    if (this.activePunches >= MAX_PUNCHES) return `busy (${MAX_PUNCHES} punches running)`;
    const checks = this.opts.checks;
    const stun = role === 'easy' ? await checks.stunServer() : undefined;
    if (role === 'easy' && !stun) return 'no STUN server to learn our mapping from';
    if (this.punches.has(sessionId)) return 'duplicate start';
    // Charged last, so that only a run that starts spends budget.
    const over = this.budget.take(punchCost(role), Date.now(), initiator ? undefined : peer.peerId);
    if (over) return over;
    const run = new PunchRun({
      sessionId,
      role,
      token,
      initiator,
      stun: stun ?? { address: '0.0.0.0', port: 0 },
      publicIp: checks.publicIp,
      bind: this.opts.bindAddress,
      send: (p) => this.opts.signal.signal(peer.peerId, p),
      log: this.log.child('punch'),
    });
    this.log.info('punch: trying port prediction', { peer: peer.name, role, remoteNat: peer.nat?.mapping });
    this.punches.set(sessionId, { peerId: peer.peerId, run });
    this.activePunches++;
    void run.result.finally(() => this.activePunches--);
    // Kept a while after it ends: the answerer's offer may come after its own run has finished.
    setTimeout(() => this.punches.delete(sessionId), PUNCH_TIMEOUT_MS * 5).unref();
    return run;
  }

  /**
   * A `punch` message from `from` (`fromIp`: where the signal server saw it): a
   * step of a run we know, or a `start` we join or decline.
   */
  onSignal(from: PeerInfo, p: PunchPayload, fromIp: string | undefined): void {
    const entry = this.punches.get(p.sessionId);
    if (entry && entry.peerId !== from.peerId) {
      this.refused(from, 'a punch message for another peer\'s session', p.step);
      return;
    }
    if (p.step !== 'start') {
      entry?.run.handle(p, fromIp);
      return;
    }
    if (entry) return; // duplicate start
    // No session of ours, and no service here that its offer could be for: not a
    // punch we take part in. Nothing is sent back, not even a `fail`.
    if (!this.opts.accepting()) return this.refused(from, 'a punch start, but we expose no service and have no session with this peer', p.step);
    const role: PunchRole | undefined = p.role === 'easy' ? 'hard' : p.role === 'hard' ? 'easy' : undefined;
    const refuse = (reason: string): void => {
      this.log.info('punch: declined', { peer: from.name, reason });
      this.opts.signal.signal(from.peerId, { kind: 'punch', sessionId: p.sessionId, step: 'fail', reason });
    };
    if (!role || !p.token) return refuse('bad start');
    if (!fromIp) return refuse('the signal server does not say where peers are, so no address of yours can be checked');
    if (!this.enabled) return refuse('punching is off here');
    // Our own measurement decides (the sender may not have published its own yet).
    const natInfo = this.opts.checks.natInfo;
    if (role === 'easy' ? !isEasy(natInfo) : !isHard(natInfo)) {
      const n = natInfo;
      return refuse(`our NAT (mapping ${n?.mapping ?? 'unknown'}, filtering ${n?.filtering ?? 'unknown'}) does not fit the ${role} role`);
    }
    void this.start(from, p.sessionId, role, Buffer.from(p.token, 'base64'), false).then((r) => {
      if (typeof r === 'string') refuse(r);
    });
  }

  /** A punch message dropped without an answer: logged, at most one line per REFUSAL_LOG_INTERVAL_MS. */
  private refused(from: PeerInfo, reason: string, step: string): void {
    const now = Date.now();
    if (now - this.lastRefusalLog < REFUSAL_LOG_INTERVAL_MS) {
      this.refusalsNotLogged++;
      return;
    }
    this.log.warn('punch: refused', { peer: from.name, peerId: from.peerId, step, reason, ...(this.refusalsNotLogged ? { alsoRefused: this.refusalsNotLogged } : {}) });
    this.lastRefusalLog = now;
    this.refusalsNotLogged = 0;
  }

  /** Stop every run (the node is stopping). */
  abortAll(reason: string): void {
    for (const { run } of this.punches.values()) run.abort(reason);
  }
}
