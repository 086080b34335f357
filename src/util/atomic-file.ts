import { openSync, writeSync, fsyncSync, closeSync, renameSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ErrorCode, P2prcError } from '../protocol/errors.js';

/**
 * Write a file so that readers and crashes only ever see the old or the new
 * content: write a temp file in the same directory, fsync it, rename over the
 * target (atomic on POSIX), then fsync the directory so the rename is durable.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
  try {
    const dfd = openSync(dirname(path), 'r');
    try { fsyncSync(dfd); } finally { closeSync(dfd); }
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  }
}

/**
 * Read and parse a JSON file; undefined when it does not exist. A file that is
 * not JSON is a `bad-file` error that names the file.
 */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new P2prcError(ErrorCode.BadFile, `${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Move a file that cannot be read aside as `<name>.corrupt-<time>`, so the
 * caller can start a fresh one without destroying what was there (an operator
 * may want to look at it). Returns the new path, or undefined when the file
 * could not be moved (gone already).
 */
export function quarantineFile(path: string, now = new Date()): string | undefined {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const to = `${path}.corrupt-${stamp}`;
  try {
    renameSync(path, to);
    return to;
  } catch {
    return undefined;
  }
}
