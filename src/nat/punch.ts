/**
 * The two halves of a birthday punch on real UDP sockets (see punch-plan.ts for
 * the idea and the odds). Sockets and timers live here; the datagrams and the
 * plan are pure code in punch-plan.ts. Every loop is bounded by a round count
 * and every socket is closed by close(), which the caller always calls.
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import { bindUdp, bindingRequest, mappedAddressOf } from '../stun-client/binding.js';
import { decodeProbe, encodeProbe, sprayPorts, HARD_ROUNDS, HARD_SOCKETS, HIT_REPEATS, NAT_PORT_MAX, NAT_PORT_MIN, SPRAY_PROBES, SPRAY_ROUNDS } from './punch-plan.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';

import type { Endpoint } from '../util/endpoint.js';
export type { Endpoint };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface SprayOptions {
  /** Probes per round (distinct random ports). */
  probes?: number;
  rounds?: number;
  /** Wait for an answer this long after each round. */
  roundMs?: number;
  portMin?: number;
  portMax?: number;
}

/**
 * The easy side: one socket whose public mapping is the same for every
 * destination. Learns that mapping with STUN, then sprays random ports of the
 * hard side's address until one answers.
 */
export class EasyPuncher {
  readonly localPort: number;
  private closed = false;
  private hit?: Endpoint;
  private onHit?: (e: Endpoint) => void;

  private constructor(
    private readonly sock: Socket,
    readonly mapped: Endpoint,
    private readonly token: Buffer,
  ) {
    this.localPort = sock.address().port;
    sock.on('message', (m, r) => this.onMessage(m, r));
  }

  static async open(opts: { bind?: string; stun: Endpoint; token: Buffer; rtoMs?: number }): Promise<EasyPuncher> {
    const sock = await bindUdp(opts.bind);
    try {
      const response = await bindingRequest(sock, opts.stun, undefined, { rtoMs: opts.rtoMs ?? 150, attempts: 4 });
      const mapped = response && mappedAddressOf(response);
      if (!mapped) throw new P2prcError(ErrorCode.StunUnreachable, `no mapped address from ${opts.stun.address}:${opts.stun.port}`);
      return new EasyPuncher(sock, { address: mapped.address, port: mapped.port }, opts.token);
    } catch (err) {
      sock.close();
      throw err;
    }
  }

  /** Resolves with the hard side's punched public endpoint, or undefined when no probe was answered. */
  async spray(hardIp: string, opts: SprayOptions = {}): Promise<Endpoint | undefined> {
    const probe = encodeProbe('probe', this.token);
    const sent = new Set<number>();
    const got = new Promise<Endpoint>((resolve) => (this.onHit = resolve));
    for (let round = 0; round < (opts.rounds ?? SPRAY_ROUNDS) && !this.closed && !this.hit; round++) {
      const ports = sprayPorts(opts.probes ?? SPRAY_PROBES, sent, Math.random, opts.portMin ?? NAT_PORT_MIN, opts.portMax ?? NAT_PORT_MAX);
      for (let i = 0; i < ports.length && !this.closed && !this.hit; i++) {
        sent.add(ports[i]!);
        this.sock.send(probe, ports[i]!, hardIp);
        // Let the socket drain (and answers in) every 64 datagrams.
        if (i % 64 === 63) await new Promise((r) => setImmediate(r));
      }
      const answered = await Promise.race([got, sleep(opts.roundMs ?? 400).then(() => undefined)]);
      if (answered) break;
    }
    return this.hit;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sock.close();
  }

  private onMessage(msg: Buffer, r: RemoteInfo): void {
    // Only an ack counts: it comes from the one socket the hard side chose. A probe
    // from one of its other sockets can get through too (a spray usually meets
    // several mappings), and taking it would leave the two sides on different sockets.
    if (decodeProbe(msg, this.token) !== 'ack') return;
    // Tell the hit socket we have it (a few times: UDP), then stop spraying.
    const confirm = encodeProbe('confirm', this.token);
    for (let i = 0; i < HIT_REPEATS && !this.closed; i++) this.sock.send(confirm, r.port, r.address);
    if (this.hit) return;
    this.hit = { address: r.address, port: r.port };
    this.onHit?.(this.hit);
  }
}

/**
 * The hard side: many sockets, each sending to the easy side's one endpoint so
 * that the NAT opens a mapping (a random public port) per socket. The socket
 * that receives the easy side's probe is the punched one.
 */
export class HardPuncher {
  private closed = false;
  private hitPort?: number;
  private confirmed = false;
  private timer?: NodeJS.Timeout;
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly socks: Socket[],
    private readonly token: Buffer,
  ) {
    for (const s of socks) s.on('message', (m, r) => this.onMessage(s, m, r));
  }

  static async open(opts: { bind?: string; sockets?: number; token: Buffer }): Promise<HardPuncher> {
    const socks: Socket[] = [];
    try {
      for (let i = 0; i < (opts.sockets ?? HARD_SOCKETS); i++) socks.push(await bindUdp(opts.bind));
    } catch (err) {
      for (const s of socks) s.close();
      throw err;
    }
    return new HardPuncher(socks, opts.token);
  }

  get sockets(): number {
    return this.socks.length;
  }

  get localPorts(): number[] {
    return this.closed ? [] : this.socks.map((s) => s.address().port);
  }

  /**
   * Send a probe from every socket to `easy` now and every `intervalMs` (at most
   * `rounds` times, until a hit): the first opens the mappings; later ones keep
   * them open and reach the easy side once its spray has opened its filter.
   */
  probe(easy: Endpoint, opts: { intervalMs?: number; rounds?: number } = {}): void {
    const probe = encodeProbe('probe', this.token);
    let round = 0;
    const send = (): void => {
      if (this.closed || this.hitPort !== undefined || round++ >= (opts.rounds ?? HARD_ROUNDS)) return;
      for (const s of this.socks) s.send(probe, easy.port, easy.address);
      this.timer = setTimeout(send, opts.intervalMs ?? 250);
    };
    send();
  }

  /** The local port of the punched socket, once the easy side confirmed it (or `graceMs` after the hit); undefined at `timeoutMs`. */
  async waitHit(timeoutMs: number, graceMs = 300): Promise<number | undefined> {
    const deadline = performance.now() + timeoutMs;
    let hitAt: number | undefined;
    while (!this.closed && !this.confirmed) {
      const now = performance.now();
      if (this.hitPort !== undefined) hitAt ??= now;
      const until = hitAt !== undefined ? Math.min(deadline, hitAt + graceMs) : deadline;
      if (now >= until) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, until - now);
        function done(): void {
          clearTimeout(t);
          resolve();
        }
        this.waiters.push(done);
      });
    }
    return this.hitPort;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.socks) s.close();
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private onMessage(s: Socket, msg: Buffer, r: RemoteInfo): void {
    const kind = decodeProbe(msg, this.token);
    if (!kind) return;
    const port = s.address().port;
    if (kind === 'confirm') {
      if (this.hitPort === port) this.confirmed = true;
      this.wake();
      return;
    }
    if (kind !== 'probe') return;
    if (this.hitPort !== undefined && this.hitPort !== port) return; // keep the first hit only
    this.hitPort = port;
    if (this.timer) clearTimeout(this.timer);
    const ack = encodeProbe('ack', this.token);
    for (let i = 0; i < HIT_REPEATS; i++) s.send(ack, r.port, r.address);
    this.wake();
  }
}
