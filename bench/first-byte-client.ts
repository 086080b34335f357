/**
 * Setup runs' TCP client (bench/setup-runs.ts), run next to `p2prc connect`
 * (inside a lab namespace, or in the bench process on loopback): tries to
 * connect to 127.0.0.1:PORT every 2 ms until the listener is up, sends one
 * byte the moment it connects and waits for it to come back through the
 * tunnel. Prints one JSON line with wall-clock times (Date.now(), ms) and
 * exits. Usage: node first-byte-client.js PORT [TIMEOUT_MS]
 */
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface FirstByte {
  /** Date.now() when the TCP connection to the listener opened, and when the byte came back. */
  connectedAt: number;
  backAt: number;
}

/** Connect (retrying until the listener is up), send a byte, resolve when it comes back. */
export function firstByte(port: number, host = '127.0.0.1', timeoutMs = 30_000): Promise<FirstByte> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const s = connect({ host, port });
      let connectedAt = 0;
      s.setNoDelay(true);
      s.once('connect', () => {
        connectedAt = Date.now();
        s.write('x');
      });
      s.once('data', () => {
        const backAt = Date.now();
        s.destroy();
        resolve({ connectedAt, backAt });
      });
      s.once('error', (err: NodeJS.ErrnoException) => {
        s.destroy();
        if (connectedAt || err.code !== 'ECONNREFUSED') return reject(err);
        if (Date.now() > deadline) return reject(new Error(`no listener on ${host}:${port} within ${timeoutMs} ms`));
        setTimeout(attempt, 2);
      });
      s.once('close', () => {
        if (connectedAt) reject(new Error('closed before the first byte came back'));
      });
    };
    attempt();
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  firstByte(Number(process.argv[2]), '127.0.0.1', Number(process.argv[3] ?? 30_000)).then(
    (r) => {
      process.stdout.write(JSON.stringify(r) + '\n');
      process.exit(0);
    },
    (err: Error) => {
      process.stdout.write(JSON.stringify({ error: err.message }) + '\n');
      process.exit(1);
    },
  );
}
