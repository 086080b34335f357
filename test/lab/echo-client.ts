/**
 * Lab helper, run inside a namespace: sends BYTES random bytes to
 * 127.0.0.1:PORT, half-closes, reads everything until the other side closes,
 * and prints one JSON line: sizes, sha256 of what was sent and received, ms.
 * Bounded by TIMEOUT_MS (exit 1 with a JSON error line).
 * Usage: node echo-client.js PORT BYTES [TIMEOUT_MS]
 */
import { connect } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';

const port = Number(process.argv[2]);
const bytes = Number(process.argv[3] ?? 1 << 20);
const timeoutMs = Number(process.argv[4] ?? 30_000);
const data = randomBytes(bytes);
const t0 = performance.now();
const chunks: Buffer[] = [];
let received = 0;

const finish = (error?: string): void => {
  const got = Buffer.concat(chunks);
  process.stdout.write(
    JSON.stringify({
      sent: data.length,
      received: got.length,
      sha256Sent: createHash('sha256').update(data).digest('hex'),
      sha256Received: createHash('sha256').update(got).digest('hex'),
      ms: Math.round(performance.now() - t0),
      ...(error ? { error } : {}),
    }) + '\n',
  );
  process.exit(error ? 1 : 0);
};

const timer = setTimeout(() => finish(`timed out after ${timeoutMs} ms (received ${received} of ${bytes} bytes)`), timeoutMs);
const sock = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
sock.on('connect', () => {
  let off = 0;
  const pump = (): void => {
    while (off < data.length) {
      const part = data.subarray(off, off + 64 * 1024);
      off += part.length;
      if (!sock.write(part)) return void sock.once('drain', pump);
    }
    sock.end();
  };
  pump();
});
sock.on('data', (d: Buffer) => {
  chunks.push(d);
  received += d.length;
});
sock.on('end', () => {
  clearTimeout(timer);
  sock.end();
  finish();
});
sock.on('error', (err: NodeJS.ErrnoException) => {
  clearTimeout(timer);
  finish(`socket error ${err.code ?? err.message} after ${received} bytes`);
});
