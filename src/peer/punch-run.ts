/**
 * One birthday punch between this peer and another, driven over the signalling
 * channel (`punch` payloads) before the session's PeerConnection exists. The
 * result names the local port ICE must bind and, on the easy side, the hard
 * side's punched public endpoint to add as a remote candidate.
 */
import type { PunchPayload } from '../protocol/messages.js';
import { HARD_SOCKETS, sprayTargetProblem, type PunchRole } from '../nat/punch-plan.js';
import { EasyPuncher, HardPuncher, type Endpoint } from '../nat/punch.js';
import type { Logger } from '../util/log.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';

/** The whole punch, signalling included, gives up after this (ICE and the relay then do as they would). */
export const PUNCH_TIMEOUT_MS = 3000;

export interface PunchResult {
  role: PunchRole;
  localPort: number;
  /** Easy side: the hard side's punched public endpoint. */
  remote?: Endpoint;
  ms: number;
}

export interface PunchRunOptions {
  sessionId: string;
  role: PunchRole;
  token: Buffer;
  /** The offerer starts the punch (sends `start`). */
  initiator: boolean;
  /** STUN server the easy side learns its mapping from. */
  stun: Endpoint;
  /** Hard side: its public IP (from its NAT check), which the easy side sprays. */
  publicIp?: string;
  bind?: string;
  send: (p: PunchPayload) => boolean;
  log: Logger;
  timeoutMs?: number;
  /** Hard side's socket count and the easy side's probes per round (tests may lower them). */
  sockets?: number;
  probes?: number;
  /** Easy side: spray only this port range (loopback tests, where no NAT picks the ports). */
  sprayRange?: [number, number];
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export class PunchRun {
  readonly result: Promise<PunchResult | undefined>;
  private readonly opts: PunchRunOptions;
  private readonly easyStep = deferred<Endpoint | undefined>();
  private readonly hardStep = deferred<string | undefined>();
  private readonly stopped = deferred<undefined>();
  private failed = false;
  private finished = false;
  private readonly t0 = performance.now();
  private hard?: HardPuncher;

  constructor(opts: PunchRunOptions) {
    this.opts = opts;
    this.result = this.run();
  }

  /** Hard side: the local ports of its open sockets (diagnostics and tests). */
  get hardPorts(): number[] {
    return this.hard?.localPorts ?? [];
  }

  /**
   * A `punch` payload from the other peer for this session; `fromIp` is the
   * sender's IP as the signal server saw it. An `easy` or `hard` step naming
   * any other address ends the run before a datagram goes there (see
   * sprayTargetProblem): we only ever probe the peer itself.
   */
  handle(p: PunchPayload, fromIp: string | undefined): void {
    if (p.step === 'easy' || p.step === 'hard') {
      const problem = sprayTargetProblem(p.address, fromIp);
      if (problem) {
        this.opts.log.warn('punch: refusing to probe an address that is not the peer\'s', { step: p.step, address: p.address, fromIp, reason: problem });
        this.stop(`refused the ${p.step} step: ${problem}`, true);
        return;
      }
    }
    if (p.step === 'easy' && p.address && p.port) this.easyStep.resolve({ address: p.address, port: p.port });
    else if (p.step === 'hard' && p.address) this.hardStep.resolve(p.address);
    else if (p.step === 'fail') this.stop(`the other side gave up${p.reason ? `: ${p.reason}` : ''}`, false);
  }

  /** Give up now (session closed, peer left). */
  abort(reason: string): void {
    this.stop(reason, true);
  }

  private stop(reason: string, tell: boolean): void {
    if (this.failed || this.finished) return;
    this.failed = true;
    this.opts.log.info('punch: no direct path by port prediction', { role: this.opts.role, reason });
    if (tell) this.opts.send({ kind: 'punch', sessionId: this.opts.sessionId, step: 'fail', reason: reason.slice(0, 256) });
    this.easyStep.resolve(undefined);
    this.hardStep.resolve(undefined);
    this.stopped.resolve(undefined);
  }

  private async run(): Promise<PunchResult | undefined> {
    const { role, sessionId, token } = this.opts;
    const timer = setTimeout(() => this.stop(`timed out after ${this.opts.timeoutMs ?? PUNCH_TIMEOUT_MS} ms`, true), this.opts.timeoutMs ?? PUNCH_TIMEOUT_MS);
    if (this.opts.initiator) this.opts.send({ kind: 'punch', sessionId, step: 'start', role, token: token.toString('base64') });
    try {
      return role === 'easy' ? await this.runEasy() : await this.runHard();
    } catch (err) {
      this.stop((err as Error).message, true);
      return undefined;
    } finally {
      clearTimeout(timer);
      this.finished = true;
    }
  }

  private async runEasy(): Promise<PunchResult | undefined> {
    const easy = await EasyPuncher.open({ bind: this.opts.bind, stun: this.opts.stun, token: this.opts.token });
    try {
      this.opts.send({ kind: 'punch', sessionId: this.opts.sessionId, step: 'easy', address: easy.mapped.address, port: easy.mapped.port });
      const hardIp = await this.hardStep.promise;
      if (!hardIp || this.failed) return undefined;
      const hit = await Promise.race([easy.spray(hardIp, { probes: this.opts.probes || undefined, portMin: this.opts.sprayRange?.[0], portMax: this.opts.sprayRange?.[1] }), this.stopped.promise]);
      if (!hit) {
        this.stop(`no answer to the spray of ${hardIp}`, true);
        return undefined;
      }
      const ms = Math.round(performance.now() - this.t0);
      this.opts.log.info('punch: found a direct path by port prediction', { role: 'easy', local: `${easy.mapped.address}:${easy.mapped.port}`, remote: `${hit.address}:${hit.port}`, ms });
      return { role: 'easy', localPort: easy.localPort, remote: hit, ms };
    } finally {
      easy.close(); // ICE binds this port next
    }
  }

  private async runHard(): Promise<PunchResult | undefined> {
    if (!this.opts.publicIp) throw new P2prcError(ErrorCode.StunUnreachable, 'our public address is unknown');
    const hard = await HardPuncher.open({ bind: this.opts.bind, sockets: this.opts.sockets ?? HARD_SOCKETS, token: this.opts.token });
    this.hard = hard;
    try {
      const easy = await this.easyStep.promise;
      if (!easy || this.failed) return undefined;
      hard.probe(easy);
      this.opts.send({ kind: 'punch', sessionId: this.opts.sessionId, step: 'hard', address: this.opts.publicIp });
      const port = await Promise.race([hard.waitHit(this.opts.timeoutMs ?? PUNCH_TIMEOUT_MS), this.stopped.promise]);
      if (port === undefined) {
        this.stop('no probe reached any of our sockets', true);
        return undefined;
      }
      const ms = Math.round(performance.now() - this.t0);
      this.opts.log.info('punch: found a direct path by port prediction', { role: 'hard', localPort: port, remote: `${easy.address}:${easy.port}`, sockets: hard.sockets, ms });
      return { role: 'hard', localPort: port, ms };
    } finally {
      hard.close();
    }
  }
}
