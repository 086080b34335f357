/**
 * The raw TCP path: a net client to the service (bulk send to the sink, and
 * sequential ping-pongs with the echo). The tunnel paths use the same client,
 * pointed at the connector's port instead of the service's.
 */
import { connect as tcpConnect } from 'node:net';
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

/** `count` sequential ping-pongs of `size` bytes with the echo service at `port`. */
export async function tcpPingPong(port: number, warmup: number, count: number, size: number): Promise<PingResult> {
  const t0 = performance.now();
  const sock = tcpConnect({ host: HOST, port, allowHalfOpen: true });
  sock.setNoDelay(true);
  let failure: Error | undefined;
  let got = 0;
  let want = 0;
  let wake: ((err?: Error) => void) | undefined;
  const fail = (err: Error): void => {
    failure ??= err;
    const w = wake;
    wake = undefined;
    w?.(err);
  };
  sock.on('data', (d: Buffer) => {
    got += d.length;
    if (got >= want && wake) {
      const w = wake;
      wake = undefined;
      w();
    }
  });
  sock.on('error', fail);
  sock.on('close', () => fail(new Error(`echo connection to port ${port} closed after ${got} bytes`)));
  const msg = randomBytes(size);
  const rtts: number[] = [];
  let ttfbMs = 0;
  try {
    for (let i = 0; i < warmup + count; i++) {
      if (failure) throw failure;
      want += size;
      const wait = new Promise<void>((resolve, reject) => (wake = (err) => (err ? reject(err) : resolve())));
      const t = performance.now();
      sock.write(i === 0 ? Buffer.concat([Buffer.from('E'), msg]) : msg);
      await withTimeout(wait, ECHO_TIMEOUT_MS, `echo ping ${i} via port ${port}`);
      const now = performance.now();
      if (i === 0) ttfbMs = now - t0;
      if (i >= warmup) rtts.push((now - t) * 1000);
    }
  } finally {
    sock.removeAllListeners('close');
    sock.on('error', () => undefined);
    sock.end();
    sock.destroy();
  }
  return { ttfbMs, rttsUs: rtts };
}
