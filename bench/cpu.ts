/**
 * CPU meters read from /proc (Linux): per process and per thread, and a meter
 * that snapshots this process and named children around a measured run.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc's utime/stime (`getconf CLK_TCK`, 100 on Linux nearly always). */
export const CLK_TCK = ((): number => {
  const v = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5000 }).stdout?.trim());
  return Number.isInteger(v) && v > 0 ? v : 100;
})();

/** utime+stime in ms from a /proc/.../stat line. */
export function statCpuMs(stat: string): number {
  // Fields after "(comm)": state is field 3, utime 14, stime 15 (clock ticks).
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(rest[11]) + Number(rest[12])) * 1000) / CLK_TCK;
}

/**
 * Linux: user+system CPU ms of a process so far, all its threads included, from
 * /proc (undefined elsewhere or once it is gone).
 */
export function procCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return statCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Linux: system (kernel) CPU ms of a process so far, all its threads included (undefined elsewhere or once it is gone). */
export function procSysMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[12]) * 1000) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** Linux: CPU ms so far of each thread of a process, keyed "comm/tid" (empty elsewhere). */
export function threadCpuMs(pid: number | undefined): Map<string, number> {
  const m = new Map<string, number>();
  if (pid === undefined) return m;
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return m;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      m.set(`${comm}/${tid}`, statCpuMs(stat));
    } catch {
      /* thread gone */
    }
  }
  return m;
}

/** CPU ms used by this process and the named children between two snapshots. */
export class CpuMeter {
  private readonly pids: [string, number | undefined][];
  constructor(pids: [string, number | undefined][]) {
    this.pids = pids;
  }
  snapshot(): Map<string, number> {
    const m = new Map<string, number>();
    const self = process.cpuUsage();
    m.set('bench', (self.user + self.system) / 1000);
    for (const [name, pid] of this.pids) {
      const v = procCpuMs(pid);
      if (v !== undefined) m.set(name, v);
    }
    return m;
  }
  static diff(a: Map<string, number>, b: Map<string, number>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of b) {
      const before = a.get(k);
      if (before !== undefined) out[k] = v - before;
    }
    return out;
  }
}

export function mapDiff(a: Map<string, number>, b: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of b) out[k] = v - (a.get(k) ?? 0);
  return out;
}
