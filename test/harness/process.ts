/**
 * The one process harness, shared by the e2e suites, the NAT lab and the bench:
 * spawn a child (`p2prc` by default, any program otherwise), wait for a JSON
 * event on its stdout (`p2prc --json` prints one object per line) or for a log
 * line, stop it (SIGTERM, SIGKILL after a bound, exit awaited), and keep its
 * output for failure reports. Every process and temp dir made here is
 * registered and removed by cleanup(), at exit, and on SIGINT/SIGTERM.
 * Moved from test/helpers.ts (which re-exports it); the JSON event waits,
 * timestamps, failOn and stdin messages come from bench/bench.ts's wrapper.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repo root (the harness runs from dist/test/harness/). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLI = join(ROOT, 'bin', 'p2prc');

/** How long a wait lasts unless told otherwise: a p2prc start-up on a busy 2-core machine takes a few seconds. */
export const DEFAULT_WAIT_MS = 20_000;
/** How long stop() waits after its signal before SIGKILL. */
export const DEFAULT_STOP_GRACE_MS = 5000;
/** Lines of each stream a failure report shows. */
const DUMP_OUT_LINES = 30;
const DUMP_ERR_LINES = 40;

/** One stdout line as an object: a JSON object as is, any other line as `{ text: line }`. */
export type Json = Record<string, unknown>;
/** A stdout event and when it arrived (performance.now()). */
export interface TimedEvent {
  obj: Json;
  at: number;
}
/**
 * What an event wait looks for: an event name (`'route'`), a pattern object
 * (every key must match: a RegExp tests a string value, an object matches
 * recursively, anything else compares with ===), or a predicate.
 */
export type EventMatch = string | Json | ((o: Json) => boolean);

export interface ProcOptions {
  /** Program to run with `args` as given; default `node bin/p2prc ARGS`. */
  command?: string;
  cwd?: string;
  /** Pipe stdin so that send() can write JSON lines to the child (default: no stdin). */
  stdin?: boolean;
  /** Copy every stderr line and non-JSON stdout line to our stderr as `[name] line`. */
  echo?: boolean;
  /** Keep only the last this many lines of each stream (default: all). */
  maxLines?: number;
}

const procs = new Set<Proc>();
/** Every process started since the last cleanup(), exited ones too: what a failure report shows. */
const started: Proc[] = [];
const dirs = new Set<string>();
const cleanupHooks = new Set<() => void>();

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

/** Whether `obj` matches `m` (see EventMatch). */
export function eventMatches(obj: Json, m: EventMatch): boolean {
  if (typeof m === 'string') return obj.event === m;
  if (typeof m === 'function') return m(obj);
  return partialMatch(obj, m);
}

function partialMatch(v: unknown, pattern: unknown): boolean {
  if (pattern instanceof RegExp) return typeof v === 'string' && pattern.test(v);
  if (typeof pattern === 'object' && pattern !== null) {
    if (typeof v !== 'object' || v === null) return false;
    return Object.entries(pattern).every(([k, p]) => partialMatch((v as Json)[k], p));
  }
  return v === pattern;
}

function describeMatch(m: EventMatch): string {
  if (typeof m === 'string') return `event "${m}"`;
  if (typeof m === 'function') return 'event matching a predicate';
  return `event ${JSON.stringify(m, (_k, v: unknown) => (v instanceof RegExp ? String(v) : v))}`;
}

interface Waiter {
  /** Called after every new line and at exit: settles the wait when it can. */
  check(): void;
  /** Rejects the wait at once (a failOn line). */
  fail(err: Error): void;
}

export class Proc {
  readonly name: string;
  readonly child: ChildProcess;
  /** performance.now() at spawn, to time events from it. */
  readonly spawnedAt = performance.now();
  readonly out: string[] = [];
  readonly err: string[] = [];
  /** Every stdout line as an event, in order. */
  readonly events: TimedEvent[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<(o: Json) => void>();
  private readonly maxLines: number;
  private failPattern?: RegExp;
  exited: Promise<number | null>;
  exitCode: number | null | undefined = undefined;
  /** Set when the program could not be started at all. */
  spawnError?: Error;

  /** `p2prc ARGS` by default; `opts.command` runs another program (coturn, stun clients). */
  constructor(name: string, args: string[], env: NodeJS.ProcessEnv = {}, opts: ProcOptions = {}) {
    this.name = name;
    this.maxLines = opts.maxLines ?? Infinity;
    this.child = spawn(opts.command ?? process.execPath, opts.command ? args : [CLI, ...args], {
      env: { ...process.env, P2PRC_LOG_LEVEL: 'debug', ...env },
      stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
    });
    procs.add(this);
    started.push(this);
    const echo = opts.echo ?? false;
    const keep = (sink: string[], line: string): void => {
      sink.push(line);
      if (sink.length > this.maxLines) sink.shift();
      if (echo) process.stderr.write(`[${this.name}] ${line}\n`);
    };
    const onOut = (line: string): void => {
      let obj: Json | undefined;
      if (line.startsWith('{')) {
        try {
          const v: unknown = JSON.parse(line);
          if (typeof v === 'object' && v !== null && !Array.isArray(v)) obj = v as Json;
        } catch {
          /* not JSON: kept as text */
        }
      }
      if (obj) {
        this.out.push(line);
        if (this.out.length > this.maxLines) this.out.shift();
      } else keep(this.out, line);
      const ev = obj ?? { text: line };
      this.events.push({ obj: ev, at: performance.now() });
      if (this.events.length > this.maxLines) this.events.shift();
      for (const l of this.listeners) l(ev);
    };
    const onErr = (line: string): void => {
      keep(this.err, line);
      if (this.failPattern?.test(line)) {
        for (const w of [...this.waiters]) w.fail(new Error(`${this.name} reported: ${line}\n${this.dump()}`));
      }
    };
    const lines = (onLine: (l: string) => void) => {
      let buf = '';
      return {
        data: (d: Buffer): void => {
          buf += d.toString();
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            onLine(buf.slice(0, i));
            buf = buf.slice(i + 1);
          }
          this.wake();
        },
        end: (): void => {
          if (buf) onLine(buf);
          buf = '';
          this.wake();
        },
      };
    };
    const o = lines(onOut);
    const e = lines(onErr);
    this.child.stdout!.on('data', o.data).on('end', o.end);
    this.child.stderr!.on('data', e.data).on('end', e.end);
    this.child.stdin?.on('error', () => undefined);
    let settle!: (code: number | null) => void;
    this.exited = new Promise((resolve) => (settle = resolve));
    this.child.once('exit', (code) => {
      this.exitCode = code;
      procs.delete(this);
      this.wake();
      settle(code);
    });
    this.child.once('error', (err) => {
      // Only a failed spawn ends here without 'exit' (a failed kill() does not matter).
      if (this.child.pid !== undefined) return;
      this.spawnError = err;
      this.err.push(`spawn failed: ${err.message}`);
      this.exitCode = null;
      procs.delete(this);
      this.wake();
      settle(null);
    });
  }

  /** The child's pid, for /proc readings (undefined if it could not be started). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w.check();
  }

  /** Wait for a line (stdout, stderr or both) matching `re`. */
  waitFor(re: RegExp, where: 'out' | 'err' | 'any' = 'any', ms = DEFAULT_WAIT_MS): Promise<RegExpMatchArray> {
    let seen = 0;
    return this.wait<RegExpMatchArray>(`${re}`, ms, () => {
      const pool = where === 'out' ? this.out : where === 'err' ? this.err : [...this.out, ...this.err];
      seen = pool.length;
      for (const l of pool) {
        const m = l.match(re);
        if (m) return m;
      }
      return undefined;
    }, () => `(${seen} lines)`);
  }

  /** The first stdout event (already seen or still to come) matching `m`. */
  async waitForEvent(m: EventMatch, ms = DEFAULT_WAIT_MS): Promise<Json> {
    return (await this.waitForEventTimed(m, ms)).obj;
  }

  /** waitForEvent, with when the event arrived (performance.now(); compare with spawnedAt). */
  waitForEventTimed(m: EventMatch, ms = DEFAULT_WAIT_MS): Promise<TimedEvent> {
    return this.wait<TimedEvent>(describeMatch(m), ms, () => this.events.find((e) => eventMatches(e.obj, m)));
  }

  /** Every stdout event so far matching `m`. */
  eventsMatching(m: EventMatch): Json[] {
    return this.events.filter((e) => eventMatches(e.obj, m)).map((e) => e.obj);
  }

  /**
   * Settles with what `find` returns once it returns something; fails when the
   * child exits first, after `ms`, or at a failOn line. Errors carry dump().
   */
  private wait<T>(what: string, ms: number, find: () => T | undefined, detail: () => string = () => ''): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = (err?: Error, v?: T): void => {
        clearTimeout(timer);
        this.waiters.delete(w);
        if (err) reject(err);
        else resolve(v as T);
      };
      const w: Waiter = {
        check: () => {
          const v = find();
          if (v !== undefined) return done(undefined, v);
          if (this.exitCode !== undefined) done(new Error(`${this.name} exited (${this.exitCode}) before printing ${what}\n${this.dump()}`));
        },
        fail: (err) => done(err),
      };
      const timer = setTimeout(() => done(new Error(`${this.name}: timed out after ${ms} ms waiting for ${what} ${detail()}\n${this.dump()}`)), ms);
      this.waiters.add(w);
      w.check();
    });
  }

  /** Pending waits fail at once when a stderr line matches `pattern` (instead of timing out). */
  failOn(pattern: RegExp): void {
    this.failPattern = pattern;
  }

  /** Called with every stdout event from now on. */
  onEvent(l: (o: Json) => void): void {
    this.listeners.add(l);
  }

  /** Write one JSON line to the child's stdin (needs `stdin: true`). */
  send(obj: Json): void {
    if (this.child.stdin?.writable) this.child.stdin.write(JSON.stringify(obj) + '\n');
  }

  dump(): string {
    const state = this.exitCode === undefined ? `pid ${this.child.pid}, running` : `exited (${this.exitCode})`;
    return `--- ${this.name} [${state}] stdout\n${this.out.slice(-DUMP_OUT_LINES).join('\n')}\n--- ${this.name} stderr\n${this.err.slice(-DUMP_ERR_LINES).join('\n')}`;
  }

  /** `signal` (stdin closed first when piped), SIGKILL after `ms`; resolves with the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', ms = DEFAULT_STOP_GRACE_MS): Promise<number | null> {
    if (this.exitCode !== undefined) return this.exitCode;
    this.child.stdin?.end();
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

/** Run `fn` at every cleanup(), after the processes are stopped and before the temp dirs go. */
export function atCleanup(fn: () => void): void {
  cleanupHooks.add(fn);
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
export async function waitUntil(cond: () => boolean, what: string, ms = DEFAULT_WAIT_MS, every = 50): Promise<void> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Stop every process started here (SIGKILL), run the cleanup hooks, remove the temp dirs. */
export async function cleanup(): Promise<void> {
  started.length = 0;
  await Promise.all([...procs].map((p) => p.stop('SIGKILL', 1000)));
  for (const fn of cleanupHooks) fn();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}
