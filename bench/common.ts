/**
 * What every part of the bench shares: units, the loopback address everything
 * runs on, where the CLI is, progress lines on stderr and a timeout wrapper.
 */

export const MiB = 1024 * 1024;
export const KiB = 1024;
export const HOST = '127.0.0.1';
/** Write size of the TCP clients. */
export const TCP_CHUNK = 1 * MiB;
/** The project root and bin/p2prc: the harness's, so that tests and bench run the same CLI. */
export { ROOT, CLI } from '../test/harness/process.js';
/** One JSON line of a child's stdout (the harness's type). */
export type { Json } from '../test/harness/process.js';

export function progress(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
