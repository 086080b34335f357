/**
 * File descriptors: each WebSocket is one, each relay allocation another. When
 * they run short, accept() fails and registrations time out with nothing said,
 * so the server reads its own usage (Linux /proc) and says so in the log, and
 * stops accepting connections a margin below the limit so the relay and the
 * mapping log keep theirs.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Descriptors kept free for relay sockets, files and the listener itself. */
export const FD_RESERVE = 256;
/** Warn when this share of the limit is in use. */
const WARN_SHARE = 0.8;
/** At most one warning per this interval. */
const WARN_INTERVAL_MS = 60_000;

/** Open descriptors and the soft limit, where /proc tells (Linux). */
export function fdUsage(): { open: number; limit: number } | undefined {
  try {
    const open = readdirSync('/proc/self/fd').length;
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (!m || m[1] === 'unlimited') return undefined;
    return { open, limit: Number(m[1]) };
  } catch {
    return undefined;
  }
}

/** How many connections the HTTP server may hold, leaving FD_RESERVE free; undefined where unknown. */
export function connectionCap(usage = fdUsage()): number | undefined {
  if (!usage) return undefined;
  return Math.max(16, usage.limit - FD_RESERVE);
}

export class FdWatch {
  private lastWarn = -Infinity;

  constructor(
    private readonly warn: (msg: string, fields: Record<string, unknown>) => void,
    private readonly usage: () => { open: number; limit: number } | undefined = fdUsage,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Check usage; logs (at most once per interval) when above the warning share. */
  check(): void {
    const u = this.usage();
    if (!u || u.open < u.limit * WARN_SHARE) return;
    this.report('file descriptors running short: new connections will be refused near the limit (raise ulimit -n)', u);
  }

  /** A connection was refused at the cap. */
  dropped(remote: string | undefined): void {
    this.report('connection refused: file descriptor cap reached (raise ulimit -n)', { remote, ...this.usage() });
  }

  private report(msg: string, fields: Record<string, unknown>): void {
    const t = this.now();
    if (t - this.lastWarn < WARN_INTERVAL_MS) return;
    this.lastWarn = t;
    this.warn(msg, fields);
  }
}
