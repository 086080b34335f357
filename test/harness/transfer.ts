/**
 * One TCP connection through a tunnel, written in parts, its echo collected:
 * for tests that act on the path in the middle of a transfer (cut the
 * signalling, replay an offer) and then check that the rest still arrives.
 */
import { connect as tcpConnect, type Socket } from 'node:net';

/** One TCP connection through the tunnel, written in two halves, its echo collected. */
export class Transfer {
  private readonly sock: Socket;
  private readonly chunks: Buffer[] = [];
  private received = 0;
  private error?: Error;
  private ended = false;
  private readonly waiters = new Set<() => void>();
  constructor(port: number) {
    this.sock = tcpConnect({ host: '127.0.0.1', port, allowHalfOpen: true });
    this.sock.on('data', (d: Buffer) => {
      this.chunks.push(d);
      this.received += d.length;
      this.wake();
    });
    this.sock.on('end', () => {
      this.ended = true;
      this.wake();
    });
    this.sock.on('error', (err) => {
      this.error = err;
      this.wake();
    });
    this.sock.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }
  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
  write(b: Buffer, end = false): void {
    if (end) this.sock.end(b);
    else this.sock.write(b);
  }
  /** Resolves once `n` bytes came back; rejects on error, early end or after `ms`. */
  until(n: number, ms = 30_000): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.received >= n) return finish();
        if (this.error || this.ended) return finish(new Error(`transfer ended after ${this.received} of ${n} bytes: ${this.error?.message ?? 'closed'}`));
      };
      const finish = (err?: Error): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (err) reject(err);
        else resolve(Buffer.concat(this.chunks));
      };
      const timer = setTimeout(() => finish(new Error(`transfer: ${this.received} of ${n} bytes after ${ms} ms`)), ms);
      this.waiters.add(check);
      check();
    });
  }
  destroy(): void {
    this.sock.destroy();
  }
}

