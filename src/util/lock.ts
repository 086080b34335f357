/**
 * One peer process per data dir: the identity is per data dir, and two
 * processes registering the same key would keep replacing each other on the
 * signal server. A pid lock file turns that into a clear error.
 *
 * The lock holds `<pid> <start time>` (the process's start time in clock ticks
 * since boot, /proc/PID/stat field 22), so a lock left by a process that died
 * is not mistaken for a live one when the pid has been reused by an unrelated
 * process (after a reboot, or in a container where pids are small).
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

/** A process's start time (clock ticks since boot) on Linux; undefined where /proc has no such pid or no /proc. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, start time field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The command line of a process, where /proc has it. */
function processCommandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
}

/**
 * Whether the lock content `text` names a live process that holds it: same pid
 * and same start time. Locks written before the start time was recorded hold
 * only a pid: then the pid must be alive and, where /proc tells, a node or
 * p2prc process.
 */
export function lockHolderAlive(text: string): number | undefined {
  const [pidText, start] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  if (!isProcessAlive(pid)) return undefined;
  const current = processStartTime(pid);
  if (start !== undefined && current !== undefined) return current === start ? pid : undefined;
  const cmd = processCommandLine(pid);
  if (cmd !== undefined && !/node|p2prc/.test(cmd)) return undefined;
  return pid;
}

export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'peer.lock');
  const start = processStartTime(process.pid);
  const content = start === undefined ? String(process.pid) : `${process.pid} ${start}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, content);
      closeSync(fd);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(path, 'utf8') === content) unlinkSync(path);
        } catch {
          /* gone already */
        }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = lockHolderAlive(readFileSync(path, 'utf8'));
      if (pid !== undefined) {
        throw new P2prcError(ErrorCode.DataDirInUse, `data dir ${dataDir} is in use by another p2prc peer (pid ${pid}); give this one its own --data-dir`);
      }
      unlinkSync(path); // stale lock from a process that died (or a reused pid)
    }
  }
  throw new P2prcError(ErrorCode.DataDirInUse, `could not lock ${path}`);
}
