/**
 * Relay ports: taken from the configured range, checked free on the host (the
 * bind itself is the check) and never handed to two allocations at once.
 * Random start point, so a restarted server does not reuse recently-freed ports first.
 */
import { createSocket, type Socket } from 'node:dgram';
import { ipLiteralLookup } from './sync-lookup.js';
import { ErrorCode, P2prcError } from '../../src/protocol/errors.js';

export class PortPool {
  private readonly inUse = new Set<number>();
  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    if (!(min >= 1 && max <= 65535 && min <= max)) throw new P2prcError(ErrorCode.BadArgument, `bad relay port range ${min}-${max}`);
  }

  get size(): number {
    return this.max - this.min + 1;
  }
  get used(): number {
    return this.inUse.size;
  }

  /**
   * Bind a UDP socket on a free port of the range; undefined when none is free.
   * `even`: an even port (RFC 8656 EVEN-PORT); `pair`: also bind port+1 and return it (R bit).
   */
  async bind(address: string, opts: { even?: boolean; pair?: boolean; maxTries?: number } = {}): Promise<{ socket: Socket; next?: Socket } | undefined> {
    const span = this.size;
    const step = opts.even || opts.pair ? 2 : 1;
    let port = this.min + Math.floor(Math.random() * span);
    if (step === 2 && port % 2) port = port + 1 > this.max ? this.min + (this.min % 2) : port + 1;
    const tries = Math.min(opts.maxTries ?? 64, Math.ceil(span / step));
    for (let i = 0; i < tries; i++, port = port + step > this.max ? this.min + (step === 2 ? this.min % 2 : 0) : port + step) {
      if (opts.pair && port + 1 > this.max) continue;
      const socket = await this.bindOne(address, port);
      if (!socket) continue;
      if (!opts.pair) return { socket };
      const next = await this.bindOne(address, port + 1);
      if (next) return { socket, next };
      this.release(port);
      socket.close();
    }
    return undefined;
  }

  private async bindOne(address: string, port: number): Promise<Socket | undefined> {
    if (this.inUse.has(port)) return undefined;
    this.inUse.add(port);
    const sock = createSocket({ type: 'udp4', reuseAddr: false, lookup: ipLiteralLookup as never });
    const ok = await new Promise<boolean>((resolve) => {
      sock.once('error', () => resolve(false));
      sock.bind(port, address, () => resolve(true));
    });
    if (ok) return sock;
    this.inUse.delete(port);
    sock.close();
    return undefined;
  }

  release(port: number): void {
    this.inUse.delete(port);
  }
}
