/**
 * The raw TCP path: a net client to the service (bulk send to the sink, and
 * sequential ping-pongs with the echo). The tunnel paths use the same client,
 * pointed at the connector's port instead of the service's.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { ECHO_TIMEOUT_MS, HOST, withTimeout } from './common.js';

/** Send `bytes` to the sink at `port`; seconds from connect() to the sink's verified count. */
export function tcpBulk(port: number, bytes: number, payload: Buffer, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const sock = tcpConnect({ host: HOST, port, allowHalfOpen: true });
    let sent = 0;
    let reply = '';
    let settled = false;
    const settle = (err: Error | undefined, secs?: number): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(secs!);
    };
    const timer = setTimeout(() => settle(new Error(`bulk transfer to port ${port} timed out after ${timeoutMs} ms (${sent} bytes written)`)), timeoutMs);
    const pump = (): void => {
      while (sent < bytes) {
        const n = Math.min(payload.length, bytes - sent);
        sent += n;
        if (!sock.write(n === payload.length ? payload : payload.subarray(0, n))) {
          sock.once('drain', pump);
          return;
        }
      }
      sock.end();
    };
    sock.once('connect', () => {
      sock.write('S');
      pump();
    });
    sock.on('data', (d: Buffer) => (reply += d.toString()));
    sock.on('end', () => {
      const secs = (performance.now() - t0) / 1000;
      if (Number(reply) !== bytes) settle(new Error(`sink at port ${port} counted ${JSON.stringify(reply)} bytes, expected ${bytes}`));
      else settle(undefined, secs);
    });
    sock.on('error', (err) => settle(err));
    sock.on('close', () => settle(new Error(`connection to port ${port} closed before the sink replied (${sent} bytes written)`)));
  });
}

export interface PingResult {
  /** connect() to the first echoed byte, ms. */
  ttfbMs: number;
  /** Round trips after warm-up, µs. */
  rttsUs: number[];
}

/**
 * One connection to the echo service at `port`, for sequential ping-pongs of
 * `size` bytes; kept open so that the latency runs can take turns between paths.
 */
export class TcpPinger {
  private readonly sock: Socket;
  private readonly port: number;
  private readonly msg: Buffer;
  private readonly t0 = performance.now();
  private failure?: Error;
  private got = 0;
  private want = 0;
  private wake?: (err?: Error) => void;
  private sent = 0;
  /** connect() to the first echoed byte, ms (after the first ping). */
  ttfbMs = 0;

  constructor(port: number, size: number) {
    this.port = port;
    this.msg = randomBytes(size);
    const sock = tcpConnect({ host: HOST, port, allowHalfOpen: true });
    this.sock = sock;
    sock.setNoDelay(true);
    sock.on('data', (d: Buffer) => {
      this.got += d.length;
      if (this.got >= this.want && this.wake) {
        const w = this.wake;
        this.wake = undefined;
        w();
      }
    });
    sock.on('error', (err) => this.fail(err));
    sock.on('close', () => this.fail(new Error(`echo connection to port ${port} closed after ${this.got} bytes`)));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const w = this.wake;
    this.wake = undefined;
    w?.(err);
  }

  /** `count` sequential ping-pongs; their round trips in µs. */
  async ping(count: number): Promise<number[]> {
    const rtts: number[] = [];
    for (let i = 0; i < count; i++) {
      if (this.failure) throw this.failure;
      const size = this.msg.length;
      this.want += size;
      const wait = new Promise<void>((resolve, reject) => (this.wake = (err) => (err ? reject(err) : resolve())));
      const t = performance.now();
      // The first byte of a connection picks the service's mode: E, echo.
      this.sock.write(this.sent++ === 0 ? Buffer.concat([Buffer.from('E'), this.msg]) : this.msg);
      await withTimeout(wait, ECHO_TIMEOUT_MS, `echo ping ${this.sent - 1} via port ${this.port}`);
      const now = performance.now();
      if (this.sent === 1) this.ttfbMs = now - this.t0;
      rtts.push((now - t) * 1000);
    }
    return rtts;
  }

  close(): void {
    const sock = this.sock;
    sock.removeAllListeners('close');
    sock.on('error', () => undefined);
    sock.end();
    sock.destroy();
  }
}

/** `count` sequential ping-pongs of `size` bytes with the echo service at `port`, on a new connection. */
export async function tcpPingPong(port: number, warmup: number, count: number, size: number): Promise<PingResult> {
  const p = new TcpPinger(port, size);
  try {
    await p.ping(warmup);
    const rttsUs = await p.ping(count);
    return { ttfbMs: p.ttfbMs, rttsUs };
  } finally {
    p.close();
  }
}
