/**
 * Test harness: real `p2prc` processes, real TCP services, temp data dirs.
 * Everything a test starts is registered here and removed by cleanup(), which
 * every suite calls in `after` (also when a test fails).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect as tcpConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repo root (tests run from dist/test/). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'bin', 'p2prc');

const procs = new Set<Proc>();
/** Every process started since the last cleanup(), exited ones too: what a failure report shows. */
const started: Proc[] = [];
const dirs = new Set<string>();
const servers = new Set<Server>();

/**
 * Also clean up when the test process is interrupted or killed by the runner:
 * synchronously at exit (children killed, temp dirs removed), and on
 * SIGINT/SIGTERM unless another handler (the NAT lab's) owns the shutdown.
 */
process.on('exit', () => {
  for (const p of procs) p.child.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (process.listenerCount(sig) === 1) process.exit(130);
  });
}

export class Proc {
  readonly name: string;
  readonly child: ChildProcess;
  readonly out: string[] = [];
  readonly err: string[] = [];
  private readonly waiters = new Set<() => void>();
  exited: Promise<number | null>;
  exitCode: number | null | undefined = undefined;

  /** `p2prc ARGS` by default; `opts.command` runs another program (coturn, stun clients). */
  constructor(name: string, args: string[], env: NodeJS.ProcessEnv = {}, opts: { command?: string } = {}) {
    this.name = name;
    this.child = spawn(opts.command ?? process.execPath, opts.command ? args : [CLI, ...args], {
      env: { ...process.env, P2PRC_LOG_LEVEL: 'debug', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    procs.add(this);
    started.push(this);
    const lines = (sink: string[]) => {
      let buf = '';
      return (d: Buffer): void => {
        buf += d.toString();
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          sink.push(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
        for (const w of [...this.waiters]) w();
      };
    };
    this.child.stdout!.on('data', lines(this.out));
    this.child.stderr!.on('data', lines(this.err));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        this.exitCode = code;
        procs.delete(this);
        for (const w of [...this.waiters]) w();
        resolve(code);
      }),
    );
  }

  /** Wait for a line (stdout, stderr or both) matching `re`. */
  waitFor(re: RegExp, where: 'out' | 'err' | 'any' = 'any', ms = 20_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      let seen = 0;
      const check = (): void => {
        const pool = where === 'out' ? this.out : where === 'err' ? this.err : [...this.out, ...this.err];
        for (const l of pool) {
          const m = l.match(re);
          if (m) return done(undefined, m);
        }
        seen = pool.length;
        if (this.exitCode !== undefined) done(new Error(`${this.name} exited (${this.exitCode}) before printing ${re}\n${this.dump()}`));
      };
      const timer = setTimeout(() => done(new Error(`${this.name}: timed out after ${ms} ms waiting for ${re} (${seen} lines)\n${this.dump()}`)), ms);
      const done = (err?: Error, m?: RegExpMatchArray): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (err) reject(err);
        else resolve(m!);
      };
      this.waiters.add(check);
      check();
    });
  }

  dump(): string {
    const state = this.exitCode === undefined ? `pid ${this.child.pid}, running` : `exited (${this.exitCode})`;
    return `--- ${this.name} [${state}] stdout\n${this.out.slice(-30).join('\n')}\n--- ${this.name} stderr\n${this.err.slice(-40).join('\n')}`;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', ms = 5000): Promise<number | null> {
    if (this.exitCode !== undefined) return this.exitCode;
    this.child.kill(signal);
    const t = setTimeout(() => this.child.kill('SIGKILL'), ms);
    const code = await this.exited;
    clearTimeout(t);
    return code;
  }
}

export function tmpDir(prefix = 'p2prc-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(d);
  return d;
}

/**
 * Run a suite's set-up (or any step) so that a failure says what every process
 * started so far printed: the error is rethrown with their output appended
 * (a hook's failure is otherwise only "cancelledByParent" on each test). Output
 * the processes write just after the failure (their side of a reset, say) is
 * waited for briefly first.
 */
export async function withDumps<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    await new Promise((r) => setTimeout(r, 500));
    const dumps = started.map((p) => p.dump()).join('\n');
    throw new Error(`${what} failed: ${(err as Error).message}\n${dumps}`, { cause: err });
  }
}

/** Poll `cond` until it holds; rejects after `ms` with `what` in the message. */
export async function waitUntil(cond: () => boolean, what: string, ms = 20_000, every = 50): Promise<void> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

export async function cleanup(): Promise<void> {
  started.length = 0;
  await Promise.all([...procs].map((p) => p.stop('SIGKILL', 1000)));
  for (const s of servers) s.close();
  servers.clear();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}

export interface SignalProc {
  proc: Proc;
  port: number;
  url: string;
  dataDir: string;
  /** UDP port of the STUN/TURN relay, when it runs. */
  stunPort?: number;
}

/**
 * A `p2prc server` on 127.0.0.1 with its relay on a free UDP port. Loopback tests
 * allow private peers (every address here is 127.0.0.1) unless told otherwise.
 */
export async function startSignal(extra: string[] = [], port = 0, dataDir = tmpDir(), opts: { allowPrivatePeers?: boolean } = {}): Promise<SignalProc> {
  const relayArgs = ['--stun-port', '0', ...(opts.allowPrivatePeers === false ? [] : ['--allow-private-peers'])];
  const proc = new Proc('server', ['server', '--host', '127.0.0.1', '--port', String(port), ...relayArgs, '--data-dir', dataDir, ...extra]);
  const m = await proc.waitFor(/listening on ws:\/\/127\.0\.0\.1:(\d+)/, 'out');
  const p = Number(m[1]);
  const relay = extra.includes('--no-relay') ? undefined : await proc.waitFor(/STUN\/TURN relay on 127\.0\.0\.1:(\d+)\/udp/, 'out');
  return { proc, port: p, url: `ws://127.0.0.1:${p}`, dataDir, ...(relay ? { stunPort: Number(relay[1]) } : {}) };
}

export async function startExpose(name: string, services: string[], url: string, dataDir = tmpDir(), extra: string[] = []): Promise<{ proc: Proc; dataDir: string; peerId: string }> {
  const proc = new Proc(`expose:${name}`, ['expose', ...services, '--name', name, '--server', url, '--data-dir', dataDir, '--bind', '127.0.0.1', ...extra]);
  const m = await proc.waitFor(/registered as \S+ \(peer id ([0-9a-f]{40})\)/, 'out');
  return { proc, dataDir, peerId: m[1]! };
}

export async function startConnect(target: string, url: string, dataDir = tmpDir(), extra: string[] = []): Promise<{ proc: Proc; port: number; dataDir: string }> {
  const proc = new Proc(`connect:${target}`, ['connect', target, '--listen', '127.0.0.1:0', '--server', url, '--data-dir', dataDir, '--bind', '127.0.0.1', ...extra]);
  const m = await proc.waitFor(/listening on 127\.0\.0\.1:(\d+)/, 'out');
  return { proc, port: Number(m[1]), dataDir };
}

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
