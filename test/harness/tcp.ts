/**
 * Real TCP services and clients for the e2e suites: echo, checksum and
 * never-reading services on loopback, a port nothing listens on, and clients
 * that send, half-close and report what came back. Servers close at cleanup().
 * Moved from test/helpers.ts (which re-exports it).
 */
import { createServer, connect as tcpConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { atCleanup } from './process.js';

const servers = new Set<Server>();
atCleanup(() => {
  for (const s of servers) s.close();
  servers.clear();
});

async function listen(server: Server): Promise<number> {
  servers.add(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

/** Echo service (half-close aware: ends its side when the client does). */
export function echoService(): Promise<number> {
  return listen(
    createServer({ allowHalfOpen: true }, (s) => {
      s.pipe(s);
      s.on('error', () => s.destroy());
    }),
  );
}

/** Reads to EOF, then replies with the sha256 hex of what it read and closes. */
export function checksumService(): Promise<number> {
  return listen(
    createServer({ allowHalfOpen: true }, (s) => {
      const h = createHash('sha256');
      s.on('data', (d) => h.update(d));
      s.on('end', () => s.end(h.digest('hex')));
      s.on('error', () => s.destroy());
    }),
  );
}

/** Accepts connections and never reads from them; sockets are pushed to `held`. */
export function holdService(held: Socket[]): Promise<number> {
  return listen(
    createServer((s) => {
      s.pause();
      s.on('error', () => undefined);
      held.push(s);
    }),
  );
}

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const p = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

export function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/**
 * Send `data` to 127.0.0.1:port, half-close, and collect everything received
 * until the other side closes. Backpressure-aware on the write side.
 */
export function exchange(port: number, data: Buffer, opts: { timeoutMs?: number } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock: Socket = tcpConnect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    let sent = 0;
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`exchange on ${port}: timed out after ${opts.timeoutMs ?? 120_000} ms (received ${chunks.reduce((a, c) => a + c.length, 0)} bytes)`));
    }, opts.timeoutMs ?? 120_000);
    sock.on('connect', () => {
      let off = 0;
      const CH = 256 * 1024;
      const pump = (): void => {
        while (off < data.length) {
          const part = data.subarray(off, off + CH);
          off += part.length;
          sent = off;
          if (!sock.write(part)) return void sock.once('drain', pump);
        }
        sock.end();
      };
      pump();
    });
    sock.on('data', (d) => chunks.push(d));
    sock.on('end', () => {
      clearTimeout(timer);
      sock.end();
      resolve(Buffer.concat(chunks));
    });
    sock.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const received = chunks.reduce((a, c) => a + c.length, 0);
      const e = new Error(`exchange on ${port}: ${err.message} (wrote ${sent} of ${data.length} bytes, received ${received})`, { cause: err }) as NodeJS.ErrnoException;
      if (err.code) e.code = err.code;
      reject(e);
    });
  });
}

/** Open a connection and report how it ended (for refused/down cases). */
export function connectAndWaitClose(port: number, send?: Buffer, timeoutMs = 20_000): Promise<{ ms: number; received: number; error?: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const sock = tcpConnect({ host: '127.0.0.1', port });
    let received = 0;
    let error: string | undefined;
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`connection on ${port} still open after ${timeoutMs} ms`));
    }, timeoutMs);
    sock.on('connect', () => send && sock.write(send));
    sock.on('data', (d) => (received += d.length));
    sock.on('error', (err: NodeJS.ErrnoException) => (error = err.code ?? err.message));
    sock.on('close', () => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - t0, received, ...(error ? { error } : {}) });
    });
  });
}

export function randomData(n: number): Buffer {
  return randomBytes(n);
}
