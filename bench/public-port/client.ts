/**
 * The public-port bench's TCP ends, one program run where the bench needs it
 * (on loopback, or inside a lab namespace): `node client.js MODE ...`.
 *
 *   serve PORT                 the service behind every public port, on 127.0.0.1:PORT
 *                              (0: any); first byte 'S' = sink: count and sha256 the rest,
 *                              on EOF reply "COUNT SHA256" and close; 'E' = echo; 'G' =
 *                              source: after the line "G<bytes> <seed hex>\n" send that many
 *                              bytes of the block made from the seed (sourceBlock), then close.
 *                              Prints {listening: port}.
 *   bulk HOST PORT BYTES WARM TIMEOUT_MS
 *                              up: WARM bytes (unmeasured), then BYTES to the sink on a new
 *                              connection, a 1 MiB random block repeated, timed from connect()
 *                              to the sink's reply, whose count and sha256 must match; down: the
 *                              same from the source (its warm-up too), timed from connect() to
 *                              its close, count and sha256 checked here.
 *                              Prints {up: {bytes, ms, mibPerSec, sha256}, down: {...}}.
 *   up HOST PORT BYTES TIMEOUT_MS
 *                              only the up transfer, no warm-up (bench/lab/pp-upload.ts).
 *                              Prints {up: {ms, count, mibPerSec}}.
 *   ttfb HOST PORT N WARM      WARM, then N fresh connections one at a time: connect() to the
 *                              echo of a 5-byte request. Prints {samples: [ms...]}.
 *   idle HOST PORT N           N connections, each proven end to end by one echoed byte, then
 *                              held idle; prints {open: N, ms}. Each line "more" on stdin opens
 *                              N more ({open: 2N, ms}, ...). Closes them all when stdin ends (or
 *                              after HOLD_MS) and prints {closed: total}.
 *
 * Every mode is bounded; a failure prints {error} and exits 1.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';

const BLOCK = 1024 * 1024;
/** One connection's echo in ttfb/idle must come back within this. */
const CONN_MS = 30_000;
/** idle: connections opened at once (a listen backlog is not the thing measured). */
const IDLE_PARALLEL = 20;
/** idle: a parent that never closes our stdin does not keep us forever. */
const HOLD_MS = 15 * 60_000;

const print = (o: object): void => void process.stdout.write(`${JSON.stringify(o)}\n`);
const fail = (error: string): never => {
  print({ error });
  process.exit(1);
};
const num = (s: string | undefined, what: string): number => {
  const v = Number(s);
  if (!Number.isInteger(v) || v < 0) fail(`${what} must be a whole number, got ${s}`);
  return v;
};

/** The last block made (the warm-up and the measured transfer share a seed: not made again inside the timing). */
let lastBlock: { seed: string; block: Buffer } | undefined;

/** The source's 1 MiB block for `seed`: sha256(seed, i) for i = 0, 1, ... (both ends derive it). */
function sourceBlock(seed: string): Buffer {
  if (lastBlock?.seed === seed) return lastBlock.block;
  const parts: Buffer[] = [];
  for (let i = 0; i < BLOCK / 32; i++) parts.push(createHash('sha256').update(`${seed}/${i}`).digest());
  lastBlock = { seed, block: Buffer.concat(parts) };
  return lastBlock.block;
}

/** Write `bytes` of `block` repeated to `sock`, paced by 'drain'; then `done`. */
function pump(sock: Socket, bytes: number, block: Buffer, done: () => void): void {
  let left = bytes;
  const more = (): void => {
    while (left > 0) {
      const part = left >= block.length ? block : block.subarray(0, left);
      left -= part.length;
      if (!sock.write(part)) return void sock.once('drain', more);
    }
    done();
  };
  more();
}

/** sha256 of `bytes` of `block` repeated. */
function repeatedSha(block: Buffer, bytes: number): string {
  const h = createHash('sha256');
  for (let left = bytes; left > 0; left -= block.length) h.update(left >= block.length ? block : block.subarray(0, left));
  return h.digest('hex');
}

function serve(port: number): void {
  const server = createServer({ allowHalfOpen: true }, (sock: Socket) => {
    sock.setNoDelay(true);
    let mode: 'S' | 'E' | 'G' | undefined;
    let count = 0;
    let header = '';
    const hash = createHash('sha256');
    sock.on('data', (d: Buffer) => {
      if (mode === undefined) {
        mode = d[0] === 0x45 /* E */ ? 'E' : d[0] === 0x47 /* G */ ? 'G' : 'S';
        d = d.subarray(1);
      }
      if (mode === 'G') {
        if (header.endsWith('\n') || header.length > 200) return;
        header += d.toString();
        const m = /^(\d+) ([0-9a-f]{1,64})\n$/.exec(header);
        if (header.endsWith('\n')) {
          if (!m) return void sock.destroy();
          pump(sock, Number(m[1]), sourceBlock(m[2]!), () => sock.end());
        }
      } else if (mode === 'S') {
        count += d.length;
        hash.update(d);
      } else if (d.length) sock.write(d);
    });
    sock.on('end', () => (mode === 'S' ? sock.end(`${count} ${hash.digest('hex')}`) : mode === 'E' ? sock.end() : undefined));
    sock.on('error', () => sock.destroy());
  });
  server.on('error', (e) => fail(`serve: ${e.message}`));
  server.listen(port, '127.0.0.1', () => print({ listening: (server.address() as { port: number }).port }));
}

/** One connection to the sink with `bytes` of `block` repeated; resolves with ms and the reply. */
function sink(host: string, port: number, bytes: number, block: Buffer, ms: number): Promise<{ ms: number; count: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const sock = connect({ host, port, allowHalfOpen: true });
    const timer = setTimeout(() => (sock.destroy(), reject(new Error(`bulk: timed out after ${ms} ms`))), ms);
    let reply = '';
    sock.on('connect', () => {
      sock.write('S');
      pump(sock, bytes, block, () => sock.end());
    });
    sock.on('data', (d: Buffer) => (reply += d.toString()));
    sock.on('end', () => {
      clearTimeout(timer);
      const [count, sha256] = reply.trim().split(' ');
      sock.destroy();
      resolve({ ms: performance.now() - t0, count: Number(count), sha256: sha256 ?? '' });
    });
    sock.on('error', (e: NodeJS.ErrnoException) => (clearTimeout(timer), reject(new Error(`bulk: ${e.code ?? e.message}`))));
  });
}

/** One connection from the source: `bytes` made from `seed`; resolves with ms, the count and sha256 received. */
function source(host: string, port: number, bytes: number, seed: string, ms: number): Promise<{ ms: number; count: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const sock = connect({ host, port });
    const timer = setTimeout(() => (sock.destroy(), reject(new Error(`bulk down: timed out after ${ms} ms`))), ms);
    const hash = createHash('sha256');
    let count = 0;
    sock.on('connect', () => sock.write(`G${bytes} ${seed}\n`));
    sock.on('data', (d: Buffer) => {
      count += d.length;
      hash.update(d);
    });
    sock.on('end', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ ms: performance.now() - t0, count, sha256: hash.digest('hex') });
    });
    sock.on('error', (e: NodeJS.ErrnoException) => (clearTimeout(timer), reject(new Error(`bulk down: ${e.code ?? e.message}`))));
  });
}

async function bulk(host: string, port: number, bytes: number, warm: number, ms: number): Promise<void> {
  const rate = (r: { ms: number; sha256: string }): object => ({ bytes, ms: r.ms, mibPerSec: bytes / BLOCK / (r.ms / 1000), sha256: r.sha256 });
  // Up: to the sink, which reports what it got.
  const block = randomBytes(BLOCK);
  if (warm > 0) {
    const w = await sink(host, port, warm, block, ms);
    if (w.count !== warm) fail(`bulk up warm-up: the sink got ${w.count} of ${warm} bytes`);
  }
  const want = repeatedSha(block, bytes);
  const up = await sink(host, port, bytes, block, ms);
  if (up.count !== bytes) fail(`bulk up: the sink got ${up.count} of ${bytes} bytes`);
  if (up.sha256 !== want) fail(`bulk up: sha256 mismatch (sent ${want}, the sink got ${up.sha256})`);
  // Down: from the source, checked here.
  const seed = randomBytes(16).toString('hex');
  if (warm > 0) {
    const w = await source(host, port, warm, seed, ms);
    if (w.count !== warm) fail(`bulk down warm-up: got ${w.count} of ${warm} bytes`);
  }
  const wantDown = repeatedSha(sourceBlock(seed), bytes);
  const down = await source(host, port, bytes, seed, ms);
  if (down.count !== bytes) fail(`bulk down: got ${down.count} of ${bytes} bytes`);
  if (down.sha256 !== wantDown) fail(`bulk down: sha256 mismatch (the source sent ${wantDown}, got ${down.sha256})`);
  print({ up: rate(up), down: rate(down) });
}

/** connect() to the echo of `req`; resolves with ms and the open socket. */
function echoOnce(host: string, port: number, req: string): Promise<{ ms: number; sock: Socket }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const sock = connect({ host, port });
    sock.setNoDelay(true);
    const timer = setTimeout(() => (sock.destroy(), reject(new Error(`echo: timed out after ${CONN_MS} ms`))), CONN_MS);
    let got = '';
    sock.on('connect', () => sock.write(`E${req}`));
    sock.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.length < req.length) return;
      clearTimeout(timer);
      sock.removeAllListeners('data');
      if (got !== req) return reject(new Error(`echo: sent ${req}, got ${got}`));
      resolve({ ms: performance.now() - t0, sock });
    });
    sock.on('error', (e: NodeJS.ErrnoException) => (clearTimeout(timer), reject(new Error(`echo: ${e.code ?? e.message}`))));
    sock.on('close', () => (clearTimeout(timer), reject(new Error(`echo: closed after ${JSON.stringify(got)}`))));
  });
}

async function ttfb(host: string, port: number, n: number, warm: number): Promise<void> {
  const samples: number[] = [];
  for (let i = 0; i < warm + n; i++) {
    const { ms, sock } = await echoOnce(host, port, 'ping');
    sock.removeAllListeners('close');
    sock.destroy();
    if (i >= warm) samples.push(ms);
  }
  print({ samples });
}

async function idle(host: string, port: number, n: number): Promise<void> {
  const socks: Socket[] = [];
  /** Open n more connections, IDLE_PARALLEL at a time; print the total held. */
  const batch = async (): Promise<void> => {
    const t0 = performance.now();
    let left = n;
    const worker = async (): Promise<void> => {
      while (left > 0) {
        left--;
        const { sock } = await echoOnce(host, port, 'x');
        sock.removeAllListeners('close');
        sock.on('close', () => fail(`idle: a held connection closed (${socks.length} open)`));
        socks.push(sock);
      }
    };
    await Promise.all(Array.from({ length: Math.min(IDLE_PARALLEL, n) }, worker));
    print({ open: socks.length, ms: performance.now() - t0 });
  };
  const close = (): void => {
    for (const s of socks) {
      s.removeAllListeners('close');
      s.destroy();
    }
    print({ closed: socks.length });
    process.exit(0);
  };
  setTimeout(close, HOLD_MS).unref();
  await batch();
  // One more batch per "more" line, one batch at a time; stdin's end closes everything.
  let queue = Promise.resolve();
  let buf = '';
  process.stdin.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line === 'more') queue = queue.then(batch).catch((err: Error) => fail(err.message));
    }
  });
  process.stdin.on('end', close).on('error', close);
}

const [mode, a, b, c, d, e] = process.argv.slice(2);
const run = async (): Promise<void> => {
  if (mode === 'serve') return serve(num(a, 'PORT'));
  if (mode === 'bulk') return bulk(a!, num(b, 'PORT'), num(c, 'BYTES'), num(d, 'WARM'), num(e, 'TIMEOUT_MS'));
  if (mode === 'up') {
    const block = randomBytes(1 << 20);
    const r = await sink(a!, num(b, 'PORT'), num(c, 'BYTES'), block, num(d, 'TIMEOUT_MS'));
    return print({ up: { ms: r.ms, count: r.count, mibPerSec: num(c, 'BYTES') / 1048576 / (r.ms / 1000) } });
  }
  if (mode === 'ttfb') return ttfb(a!, num(b, 'PORT'), num(c, 'N'), num(d, 'WARM'));
  if (mode === 'idle') return idle(a!, num(b, 'PORT'), num(c, 'N'));
  fail(`usage: client.js serve PORT | bulk HOST PORT BYTES WARM TIMEOUT_MS | up HOST PORT BYTES TIMEOUT_MS | ttfb HOST PORT N WARM | idle HOST PORT N (got ${mode})`);
};
run().then(
  () => (mode === 'bulk' || mode === 'up' || mode === 'ttfb' ? process.exit(0) : undefined),
  (err: Error) => fail(err.message),
);
