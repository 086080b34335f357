/**
 * The lab's command runner: a bounded command (never throws: exit code and
 * output come back) and a best-effort synchronous one for exit handlers.
 */
import { execFile, execFileSync } from 'node:child_process';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `cmd args` bounded by `timeoutMs` (SIGKILL; exit code 124), with `input` on stdin. */
export function execP(cmd: string, args: string[], opts: { timeoutMs: number; input?: string }): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: opts.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : (err as { killed?: boolean }).killed ? 124 : 1) : 0;
      resolve({ code, stdout: String(stdout ?? ''), stderr: String(stderr ?? '') + (err && code === 124 ? `\n(killed after ${opts.timeoutMs} ms)` : '') });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Synchronous, 10 s bound, output or '' on any failure (usable from exit handlers). */
export function tryExecSync(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return '';
  }
}
