/**
 * How the bench runs its child processes on the shared process harness
 * (test/harness/process.ts: spawn, JSON event waits, stop, output kept for
 * failure reports, every child killed and temp dir removed at exit). This file
 * holds only the bench's choices: children run from the project root with
 * stdin piped (the raw channel's signalling; the CLI children had it too),
 * BENCH_VERBOSE echoes their output, the caller's log level is passed through,
 * and a stop escalates to SIGKILL after 3 s.
 */
import { Proc, cleanup, tmpDir, type ProcOptions } from '../test/harness/process.js';
import { ROOT } from './common.js';

export { Proc };

/** SIGTERM, then SIGKILL after this long: the bench's children shut down in well under a second. */
export const STOP_GRACE_MS = 3000;
/** Output lines kept per child, a memory bound (coturn logs to stdout for as long as it runs). */
const KEEP_LINES = 1000;

/** The harness sets P2PRC_LOG_LEVEL=debug for the suites; the bench keeps the caller's (BENCH_LOG_LEVEL sets --log-level). */
function env(): NodeJS.ProcessEnv {
  return { P2PRC_LOG_LEVEL: process.env.P2PRC_LOG_LEVEL };
}

function options(command?: string): ProcOptions {
  return { command, cwd: ROOT, stdin: true, echo: Boolean(process.env.BENCH_VERBOSE), maxLines: KEEP_LINES };
}

/** `node bin/p2prc ARGS`. */
export function spawnCli(name: string, args: string[]): Proc {
  return new Proc(name, args, env(), options());
}

/** `command ARGS` (node for the raw channel's child, turnserver for coturn). */
export function spawnProgram(name: string, command: string, args: string[]): Proc {
  return new Proc(name, args, env(), options(command));
}

/** Stdin closed and SIGTERM, SIGKILL after STOP_GRACE_MS; resolves once it has exited. */
export async function stopProc(p: Proc): Promise<void> {
  await p.stop('SIGTERM', STOP_GRACE_MS);
}

export function running(p: Proc): boolean {
  return p.exitCode === undefined;
}

/** A temp dir removed by removeTemps() and, whatever happens, at exit. */
export function mkTemp(prefix: string): string {
  return tmpDir(prefix);
}

/** Removes the temp dirs (and SIGKILLs any child still running: by then none is). */
export function removeTemps(): Promise<void> {
  return cleanup();
}
