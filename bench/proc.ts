/**
 * The bench's child processes: spawn, wait for a JSON line, stop; and the
 * last-resort cleanup that kills every child and removes every temp dir when
 * the bench exits, however it exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, type Json } from './common.js';

export const children = new Set<ChildProcess>();
export const tempDirs = new Set<string>();

export function alive(c: ChildProcess): boolean {
  return c.exitCode === null && c.signalCode === null;
}

/** Last resort, synchronous: on any exit, no child and no temp dir survives us. */
export function killEverythingSync(): void {
  for (const c of children) {
    if (alive(c)) {
      try {
        c.kill('SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

export function mkTemp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(d);
  return d;
}

/**
 * A child process speaking JSON lines on stdout; stderr kept for error reports.
 * Other stdout lines (coturn's log) are seen as `{ text: line }`.
 */
export class Proc {
  readonly name: string;
  readonly child: ChildProcess;
  readonly spawnedAt = performance.now();
  private readonly seen: { obj: Json; at: number }[] = [];
  private readonly waiters = new Set<{ pred: (o: Json) => boolean; resolve: (v: { obj: Json; at: number }) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(o: Json) => void>();
  private readonly outputTail: string[] = [];
  private failPattern?: RegExp;
  private exitInfo?: string;
  readonly exited: Promise<void>;

  /** Runs `node args...`, or `command args...` when `command` is given. */
  constructor(name: string, args: string[], command: string = process.execPath) {
    this.name = name;
    this.child = spawn(command, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(this.child);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, sig) => {
        this.exitInfo = sig ? `killed by ${sig}` : `exited with code ${code}`;
        for (const w of this.waiters) w.reject(this.error(`${this.name} ${this.exitInfo} before the expected output`));
        this.waiters.clear();
        resolve();
      });
    });
    this.child.once('error', (err) => {
      for (const w of this.waiters) w.reject(this.error(`${this.name}: ${err.message}`));
      this.waiters.clear();
    });
    this.child.stdin?.on('error', () => undefined);
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.onLine(line));
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.outputTail.push(line);
      if (this.outputTail.length > 30) this.outputTail.shift();
      if (this.failPattern?.test(line)) {
        for (const w of this.waiters) w.reject(this.error(`${this.name} reported: ${line}`));
        this.waiters.clear();
      }
      if (process.env.BENCH_VERBOSE) process.stderr.write(`[${this.name}] ${line}\n`);
    });
  }

  private error(msg: string): Error {
    const tail = this.outputTail.length ? `\n  ${this.name} output (stderr and non-JSON stdout):\n    ${this.outputTail.join('\n    ')}` : '';
    return new Error(msg + tail);
  }

  private onLine(line: string): void {
    let obj: Json;
    try {
      const v: unknown = JSON.parse(line);
      if (typeof v !== 'object' || v === null) return;
      obj = v as Json;
    } catch {
      if (process.env.BENCH_VERBOSE) process.stderr.write(`[${this.name}] ${line}\n`);
      this.outputTail.push(line);
      if (this.outputTail.length > 30) this.outputTail.shift();
      obj = { text: line };
    }
    const entry = { obj, at: performance.now() };
    this.seen.push(entry);
    for (const l of this.listeners) l(obj);
    for (const w of this.waiters) {
      if (w.pred(obj)) {
        this.waiters.delete(w);
        w.resolve(entry);
      }
    }
  }

  /** Pending waits fail at once when a stderr line matches (instead of timing out). */
  failOn(pattern: RegExp): void {
    this.failPattern = pattern;
  }

  onMessage(l: (o: Json) => void): void {
    this.listeners.add(l);
  }

  send(obj: Json): void {
    if (this.child.stdin?.writable) this.child.stdin.write(JSON.stringify(obj) + '\n');
  }

  /** The first line (already seen or still to come) matching `pred`, and when it arrived. */
  waitFor(pred: (o: Json) => boolean, what: string, timeoutMs = 20_000): Promise<{ obj: Json; at: number }> {
    const hit = this.seen.find((e) => pred(e.obj));
    if (hit) return Promise.resolve(hit);
    if (this.exitInfo) return Promise.reject(this.error(`${this.name} ${this.exitInfo} before ${what}`));
    return new Promise((resolve, reject) => {
      const w = {
        pred,
        resolve: (v: { obj: Json; at: number }) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(this.error(`${this.name}: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(w);
    });
  }

  /** Polite stop (stdin closed, then SIGTERM), SIGKILL after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (!alive(this.child)) return;
    this.child.stdin?.end();
    this.child.kill('SIGTERM');
    const t = setTimeout(() => {
      if (alive(this.child)) this.child.kill('SIGKILL');
    }, graceMs);
    await this.exited;
    clearTimeout(t);
    children.delete(this.child);
  }
}
