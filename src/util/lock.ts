/**
 * One peer process per data dir: the identity is per data dir, and two
 * processes registering the same key would keep replacing each other on the
 * signal server. A pid lock file turns that into a clear error.
 */
import { openSync, writeSync, closeSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, P2prcError } from '../protocol/errors.js';

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'peer.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path);
        } catch {
          /* gone already */
        }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isProcessAlive(pid)) {
        throw new P2prcError(ErrorCode.DataDirInUse, `data dir ${dataDir} is in use by another p2prc peer (pid ${pid}); give this one its own --data-dir`);
      }
      unlinkSync(path); // stale lock from a process that died
    }
  }
  throw new P2prcError(ErrorCode.DataDirInUse, `could not lock ${path}`);
}
