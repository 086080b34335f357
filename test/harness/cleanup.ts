/**
 * Everything the harness starts and makes, and how it all goes away: processes
 * and temp dirs are registered here and removed by cleanup() (every suite calls
 * it in `after`), synchronously at exit, and on SIGINT/SIGTERM; withDumps adds
 * what every process printed to a failing step's error.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What cleanup needs of a process (a Proc). */
export interface Tracked {
  readonly child: ChildProcess;
  dump(): string;
  stop(signal?: NodeJS.Signals, ms?: number): Promise<number | null>;
}

const procs = new Set<Tracked>();
/** Every process started since the last cleanup(), exited ones too: what a failure report shows. */
const started: Tracked[] = [];
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

/** Register a running process (Proc's constructor). */
export function track(p: Tracked): void {
  procs.add(p);
  started.push(p);
}

/** The process has exited: nothing left to kill. */
export function untrack(p: Tracked): void {
  procs.delete(p);
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

/** Stop every process started here (SIGKILL), run the cleanup hooks, remove the temp dirs. */
export async function cleanup(): Promise<void> {
  started.length = 0;
  await Promise.all([...procs].map((p) => p.stop('SIGKILL', 1000)));
  for (const fn of cleanupHooks) fn();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}
