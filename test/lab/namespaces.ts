/**
 * The lab's namespaces on this machine: names (`p2l` + 4 hex digits + `-` +
 * role), the pid file that says which live run owns a prefix, claiming a free
 * prefix, removing a namespace with everything inside it, and removing the
 * leftovers of earlier runs whose owner is gone (labs of live parallel runs are
 * kept). Also whether this machine can run the lab at all.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from '../../src/util/lock.js';
import { tryExecSync } from './shell.js';

/** Namespaces of any lab run: `p2l` + 4 hex digits + `-` + role. */
export const NS_PATTERN = /^p2l([0-9a-f]{4})-[a-z0-9]+$/;
const STATE_DIR = join(tmpdir(), 'p2prc-lab');

/** Every network namespace on the machine (`ip netns list`). */
export function listNamespaces(): string[] {
  return tryExecSync('ip', ['netns', 'list'])
    .split('\n')
    .map((l) => l.split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

/** Kill every process inside `ns` and delete it (synchronous: usable from exit handlers). */
export function removeNamespaceSync(ns: string): void {
  for (const pid of tryExecSync('ip', ['netns', 'pids', ns]).split(/\s+/).filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  tryExecSync('ip', ['netns', 'del', ns]);
}

/**
 * Remove namespaces of earlier lab runs whose owner process is gone (or that
 * have no pid file). Labs of runs still alive are left alone.
 */
export function removeLeftovers(log?: (l: string) => void): string[] {
  const removed: string[] = [];
  const byPrefix = new Map<string, string[]>();
  for (const ns of listNamespaces()) {
    const m = NS_PATTERN.exec(ns);
    if (!m) continue;
    const prefix = `p2l${m[1]}`;
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), ns]);
  }
  for (const [prefix, list] of byPrefix) {
    let owner = 0;
    try {
      owner = Number(readFileSync(join(STATE_DIR, `${prefix}.pid`), 'utf8').trim());
    } catch {
      /* no pid file: leftover */
    }
    if (owner > 0 && isProcessAlive(owner)) continue;
    for (const ns of list) removeNamespaceSync(ns);
    rmSync(join(STATE_DIR, `${prefix}.pid`), { force: true });
    removed.push(...list);
  }
  // Stale pid files without namespaces.
  try {
    for (const f of readdirSync(STATE_DIR)) {
      const m = /^(p2l[0-9a-f]{4})\.pid$/.exec(f);
      if (!m || byPrefix.has(m[1]!)) continue;
      const pid = Number(readFileSync(join(STATE_DIR, f), 'utf8').trim());
      if (!(pid > 0 && isProcessAlive(pid))) rmSync(join(STATE_DIR, f), { force: true });
    }
  } catch {
    /* no state dir */
  }
  // Temp dirs of daemons (startMiniupnpd) left by runs that died before destroy().
  try {
    for (const f of readdirSync(tmpdir())) {
      const m = /^(p2l[0-9a-f]{4})-miniupnpd-/.exec(f);
      if (!m) continue;
      let owner = 0;
      try {
        owner = Number(readFileSync(join(STATE_DIR, `${m[1]}.pid`), 'utf8').trim());
      } catch {
        /* no pid file: its run is gone */
      }
      if (!(owner > 0 && isProcessAlive(owner))) rmSync(join(tmpdir(), f), { recursive: true, force: true });
    }
  } catch {
    /* unreadable tmpdir */
  }
  if (removed.length) log?.(`lab: removed leftover namespaces ${removed.join(', ')}`);
  return removed;
}

/** Why this machine cannot run the lab, or undefined when it can. */
export function labUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'the NAT lab needs Linux network namespaces';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'the NAT lab needs root (network namespaces, iptables)';
  const missing = ['ip', 'iptables', 'iptables-restore', 'conntrack'].filter((b) => !tryExecSync('sh', ['-c', `command -v ${b}`]).trim());
  if (missing.length) return `missing ${missing.join(', ')}: apt-get install -y iptables conntrack iproute2 (.ci/run installs them)`;
  return undefined;
}

/**
 * A prefix no live run uses, its pid file written before any namespace exists
 * (so a parallel run never takes ours for leftovers).
 */
export function claimPrefix(): string {
  mkdirSync(STATE_DIR, { recursive: true });
  // A prefix no live run uses (bounded: 65536 prefixes, a handful of runs at most).
  const taken = new Set(listNamespaces().map((ns) => NS_PATTERN.exec(ns)?.[1]).filter(Boolean));
  let prefix = '';
  for (let i = 0; i < 50 && !prefix; i++) {
    const hex = randomBytes(2).toString('hex');
    try {
      // wx: fails when another run holds this prefix's pid file.
      if (!taken.has(hex)) writeFileSync(join(STATE_DIR, `p2l${hex}.pid`), String(process.pid), { flag: 'wx' });
      if (!taken.has(hex)) prefix = `p2l${hex}`;
    } catch {
      /* taken: try another */
    }
  }
  if (!prefix) throw new Error('lab: no free namespace prefix');
  return prefix;
}

/** Remove the pid file of `prefix` (its lab is gone). */
export function releasePrefix(prefix: string): void {
  rmSync(join(STATE_DIR, `${prefix}.pid`), { force: true });
}
