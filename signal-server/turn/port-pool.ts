/**
 * Relay ports: taken from the configured range, checked free on the host (the
 * bind itself is the check) and never handed to two allocations at once.
 * Random start point, so a restarted server does not reuse recently-freed ports first.
 */
import { createSocket, type Socket } from 'node:dgram';

export class PortPool {
  private readonly inUse = new Set<number>();
  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    if (!(min >= 1 && max <= 65535 && min <= max)) throw new Error(`bad relay port range ${min}-${max}`);
  }

  get size(): number {
    return this.max - this.min + 1;
  }
  get used(): number {
    return this.inUse.size;
  }

  /** Bind a UDP socket on a free port of the range; undefined when none is free. */
  async bind(address: string, type: 'udp4' | 'udp6' = 'udp4', maxTries = 64): Promise<Socket | undefined> {
    const span = this.size;
    let port = this.min + Math.floor(Math.random() * span);
    for (let tries = 0; tries < Math.min(maxTries, span); tries++, port = port >= this.max ? this.min : port + 1) {
      if (this.inUse.has(port)) continue;
      this.inUse.add(port);
      const sock = createSocket({ type, reuseAddr: false });
      const ok = await new Promise<boolean>((resolve) => {
        sock.once('error', () => resolve(false));
        sock.bind(port, address, () => resolve(true));
      });
      if (ok) return sock;
      this.inUse.delete(port);
      sock.close();
    }
    return undefined;
  }

  release(port: number): void {
    this.inUse.delete(port);
  }
}
