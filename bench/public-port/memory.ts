/**
 * Memory and CPU of a process and its descendants, from /proc (Linux): the sum of
 * Rss and of Pss over the tree. Pss shares each page among the processes that
 * map it, so a forking server (sshd's session child, socat's fork per
 * connection) is counted once per page, not once per process; for a single
 * process the deltas of the two are the same private pages. CPU: each live
 * process's own and that of its children it has reaped (socat's per-connection
 * forks end up there once they exit). killTree ends
 * what is left of a tree after its root was stopped (socat's forked children).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { CLK_TCK } from '../cpu.js';

export interface TreeMemory {
  rssKiB: number;
  pssKiB: number;
  processes: number;
}

/** Parent pid of every process (pid -> ppid); processes that vanish while read are left out. */
function parents(): Map<number, number> {
  const m = new Map<number, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      // The command name is in parentheses and may contain spaces: the fields after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      m.set(Number(e), Number(rest[1]));
    } catch {
      /* exited meanwhile */
    }
  }
  return m;
}

/** `root` and every descendant of it. */
export function processTree(root: number): number[] {
  const pp = parents();
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of pp) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const out: number[] = [];
  const todo = [root];
  while (todo.length && out.length < 100_000) {
    const p = todo.pop()!;
    out.push(p);
    todo.push(...(children.get(p) ?? []));
  }
  return out;
}

/** Rss and Pss summed over the trees of `roots` (each tree read once). */
export function treeMemory(roots: number[]): TreeMemory {
  const pids = new Set(roots.flatMap(processTree));
  let rssKiB = 0;
  let pssKiB = 0;
  let processes = 0;
  for (const pid of pids) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    } catch {
      continue;
    }
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    rssKiB += field('Rss');
    pssKiB += field('Pss');
    processes++;
  }
  return { rssKiB, pssKiB, processes };
}

/** Field 22 of /proc/PID/stat (start time in clock ticks): tells a pid from a later reuse of it. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The tree of `root` as it is now, each pid with its start time, for killTree after the root is gone. */
export function snapshotTree(root: number): [number, string][] {
  return processTree(root).flatMap((pid) => {
    const t = startTime(pid);
    return t === undefined ? [] : [[pid, t] as [number, string]];
  });
}

/** SIGKILL every process of a snapshot that still runs (the same process: same start time). */
export function killTree(snap: [number, string][]): number {
  let n = 0;
  for (const [pid, t] of snap) {
    if (startTime(pid) !== t) continue;
    try {
      process.kill(pid, 'SIGKILL');
      n++;
    } catch {
      /* gone */
    }
  }
  return n;
}

/** utime + stime + cutime + cstime, ms, summed over the trees of `roots`. */
export function treeCpuMs(roots: number[]): number {
  let ticks = 0;
  for (const pid of new Set(roots.flatMap(processTree))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14-17 of stat: utime, stime, cutime, cstime (rest[] starts at field 3).
      for (let i = 11; i <= 14; i++) ticks += Number(f[i]);
    } catch {
      /* exited meanwhile */
    }
  }
  return (ticks * 1000) / CLK_TCK;
}
