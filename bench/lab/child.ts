/**
 * The lab bench's TCP ends, run inside lab namespaces (`node child.js MODE ...`):
 *   serve PORT            the service every path ends in (0.0.0.0:PORT): first byte
 *                         'S' = sink (counts, and reports its count as a line every
 *                         100 ms), 'E' = echo;
 *   send HOST PORT SECS   sink client: write as fast as the path takes for SECS seconds;
 *                         the rate is the sink's count over [1 s, SECS] (slow start and
 *                         the stream's opening left out, and no drain of buffered bytes
 *                         at the end: the connection is then reset); prints {bytes, secs, mibPerSec};
 *   first HOST PORT       one echo byte: prints {ms} from connect() to the byte back.
 * Every mode is bounded and prints one JSON line ({error} on failure, exit 1).
 */
import { connect, createServer, type Socket } from 'node:net';

const [mode, a, b, c] = process.argv.slice(2);
const fail = (error: string): never => {
  process.stdout.write(`${JSON.stringify({ error })}\n`);
  process.exit(1);
};
const bound = (ms: number, what: string): NodeJS.Timeout => setTimeout(() => fail(`${what}: timed out after ${ms} ms`), ms);

if (mode === 'serve') {
  const server = createServer({ allowHalfOpen: true }, (sock: Socket) => {
    sock.setNoDelay(true);
    let m: 'S' | 'E' | undefined;
    let count = 0;
    let report: NodeJS.Timeout | undefined;
    sock.on('data', (d: Buffer) => {
      if (m === undefined) {
        m = d[0] === 0x45 ? 'E' : 'S';
        d = d.subarray(1);
        if (m === 'S') report = setInterval(() => sock.write(`${count}\n`), 100);
      }
      if (m === 'S') count += d.length;
      else if (d.length) sock.write(d);
    });
    sock.on('end', () => sock.end());
    sock.on('close', () => clearInterval(report));
    sock.on('error', () => sock.destroy());
  });
  server.listen(Number(a), '0.0.0.0', () => process.stdout.write(`${JSON.stringify({ listening: Number(a) })}\n`));
} else if (mode === 'send') {
  const secs = Number(c);
  const timer = bound(secs * 1000 + 120_000, 'send');
  const chunk = Buffer.alloc(256 * 1024, 0x61);
  const t0 = performance.now();
  const t0Epoch = Date.now();
  let sent = 0;
  const sock = connect({ host: a!, port: Number(b) });
  let stopped = false;
  // The sink's count as it reports it, with our clock: [ms since connect, bytes].
  const reports: [number, number][] = [];
  let partial = '';
  sock.on('connect', () => {
    sock.write('S');
    const pump = (): void => {
      while (!stopped) {
        sent += chunk.length;
        if (!sock.write(chunk)) return void sock.once('drain', pump);
      }
    };
    pump();
  });
  sock.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    const now = performance.now() - t0;
    for (const l of lines) reports.push([now, Number(l)]);
    if (now < secs * 1000) return;
    stopped = true;
    clearTimeout(timer);
    const from = reports.find(([t]) => t >= 1000) ?? reports[0]!;
    const to = reports[reports.length - 1]!;
    const bytes = to[1] - from[1];
    const window = (to[0] - from[0]) / 1000;
    // The sink's reports as [ms since t0Epoch (Date.now() at connect), bytes] (a timeline for the trace tool).
    const series = reports.map(([t, n]) => [Math.round(t), n]);
    process.stdout.write(`${JSON.stringify({ bytes, secs: window, mibPerSec: bytes / 1048576 / window, total: to[1], sent, t0Epoch, series })}\n`);
    sock.resetAndDestroy();
    process.exit(0);
  });
  sock.on('end', () => fail('send: the sink closed'));
  sock.on('error', (e: NodeJS.ErrnoException) => fail(`send: ${e.code ?? e.message}`));
} else if (mode === 'first') {
  const timer = bound(60_000, 'first byte');
  const t0 = performance.now();
  const sock = connect({ host: a!, port: Number(b) });
  sock.setNoDelay(true);
  sock.on('connect', () => sock.write('Ex'));
  sock.once('data', () => {
    clearTimeout(timer);
    process.stdout.write(`${JSON.stringify({ ms: performance.now() - t0 })}\n`);
    sock.destroy();
    process.exit(0);
  });
  sock.on('error', (e: NodeJS.ErrnoException) => fail(`first: ${e.code ?? e.message}`));
} else {
  fail(`usage: child.js serve PORT | send HOST PORT SECS | first HOST PORT (got ${mode})`);
}
