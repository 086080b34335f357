/**
 * The public-port bench's command line (bench/public-port.ts): flags, their
 * defaults, --quick's sizes and the usage text. Pure: parseOptions throws on a
 * bad flag with the usage, the caller prints it.
 */
import { join } from 'node:path';
import { ROOT } from '../common.js';

export interface PublicPortOptions {
  /** MiB of the bulk transfer each way per loopback row (after a warm-up of min(16 MiB, this)). */
  mib: number;
  /** The same for the lab rows (the emulated link carries at most 23.8 MiB/s; a collapsed SCTP window far less). */
  labMib: number;
  /** Fresh connections measured for the time to first byte (after `warmConns` unmeasured ones). */
  conns: number;
  warmConns: number;
  /** Idle client connections held open through the public port for the memory figure. */
  idleConns: number;
  quick: boolean;
  /** Skip the emulated-link rows even as root. */
  lab: boolean;
  /** Skip the loopback rows (--no-loopback: the lab only). */
  loopback: boolean;
  json: boolean;
  /** Where public-port-<timestamp>.json and public-port-latest.md go. */
  outDir: string;
  /** Extra flags for `p2prc expose` (the p2prc row's peer), e.g. --sctp-buffer-kib 2048. */
  exposeFlags: string[];
}

export const DEFAULT_OUT_DIR = join(ROOT, 'bench', 'results');
export const DEFAULTS = { mib: 256, labMib: 64, conns: 50, warmConns: 10, idleConns: 500 } as const;
/** --quick: sizes that take seconds per row (explicit flags still win). */
export const QUICK = { mib: 8, labMib: 8, conns: 10, warmConns: 3, idleConns: 50 } as const;

export function usage(): string {
  return `usage: node dist/bench/public-port.js [--quick] [--no-lab] [--no-loopback] [--json] [--mib N] [--lab-mib N] [--conns N] [--idle-conns N] [--out DIR]
  rows: p2prc public port (server --reverse-proxy + expose --public), ssh -R (OpenSSH), socat chain (the floor);
  on loopback, and as root also over an emulated 50 ms RTT / 200 Mbit/s link (network namespaces)
  --mib N         MiB of the bulk transfer each way per loopback row (default ${DEFAULTS.mib}; --quick ${QUICK.mib})
  --lab-mib N     the same for the lab rows (default ${DEFAULTS.labMib}; --quick ${QUICK.labMib})
  --conns N       fresh connections for the time to first byte p50/p95 (default ${DEFAULTS.conns}; --quick ${QUICK.conns})
  --idle-conns N  idle connections held through the public port for memory per connection (default ${DEFAULTS.idleConns}; --quick ${QUICK.idleConns})
  --quick         small sizes: checks that the bench works (under 2 minutes)
  --no-lab        loopback rows only
  --no-loopback   lab rows only
  --json          one JSON object on stdout instead of the markdown table
  --out DIR       results directory (default bench/results)
  --expose-flags "F ..."  extra flags for the p2prc row's p2prc expose, e.g. "--sctp-buffer-kib 2048"`;
}

export function parseOptions(argv: string[]): PublicPortOptions {
  const o: PublicPortOptions = { ...DEFAULTS, quick: false, lab: true, loopback: true, json: false, outDir: DEFAULT_OUT_DIR, exposeFlags: [] };
  if (argv.includes('--quick')) Object.assign(o, { quick: true, ...QUICK });
  const whole = (i: number, name: string, max: number): number => {
    const v = Number(argv[i + 1]);
    if (!Number.isInteger(v) || v < 1 || v > max) throw new Error(`${name} needs a whole number from 1 to ${max}\n${usage()}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--mib') o.mib = whole(i++, a, 65536);
    else if (a === '--lab-mib') o.labMib = whole(i++, a, 65536);
    else if (a === '--conns') o.conns = whole(i++, a, 10_000);
    // Each idle connection costs a socket in four processes: keep well under the fd limit.
    else if (a === '--idle-conns') o.idleConns = whole(i++, a, 5000);
    else if (a === '--quick') continue;
    else if (a === '--no-lab') o.lab = false;
    else if (a === '--no-loopback') o.loopback = false;
    else if (a === '--json') o.json = true;
    else if (a === '--expose-flags') {
      const v = argv[++i];
      if (v === undefined) throw new Error(`--expose-flags needs the flags as one argument\n${usage()}`);
      o.exposeFlags = v.split(/\s+/).filter(Boolean);
    } else if (a === '--out') {
      const dir = argv[++i];
      if (!dir || dir.startsWith('--')) throw new Error(`--out needs a directory\n${usage()}`);
      o.outDir = dir;
    } else if (a === '--help' || a === '-h') throw Object.assign(new Error(usage()), { help: true });
    else throw new Error(`unknown argument ${a}\n${usage()}`);
  }
  return o;
}
