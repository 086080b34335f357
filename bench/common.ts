/**
 * What every part of the bench shares: units, the loopback address everything
 * runs on, where the CLI is, progress lines on stderr and a timeout wrapper.
 */

export const MiB = 1024 * 1024;
export const KiB = 1024;
export const HOST = '127.0.0.1';
/** Write size of the TCP clients. */
export const TCP_CHUNK = 1 * MiB;
/** Unmeasured bytes sent on each path first (JIT, socket buffers, SCTP congestion window); less if a run is smaller. */
export const WARM_BYTES = 16 * MiB;
/** Unmeasured ping-pongs before the measured ones (fewer if fewer are asked for). */
export const WARM_PINGS = 100;
/** Bound on a child's start-up, a channel opening or a `--help`: seconds on a busy 2-core machine, never this long. */
export const START_TIMEOUT_MS = 15_000;
/** Bound on one 64-byte ping-pong: a stalled path fails the bench instead of hanging it. */
export const ECHO_TIMEOUT_MS = 10_000;
/** A bulk transfer may take this long plus its bytes at a slow floor rate (see transferTimeoutMs). */
const TRANSFER_BASE_MS = 30_000;
/** Processes or threads busier than this share of a core are listed; idle bystanders are left out. */
export const BUSY_CORES = 0.02;

/** Generous: a transfer finishes even at `floorMiBps`; a stall fails the run instead of hanging. */
export function transferTimeoutMs(bytes: number, floorMiBps: number): number {
  return TRANSFER_BASE_MS + (bytes / (floorMiBps * MiB)) * 1000;
}
/** The project root and bin/p2prc: the harness's, so that tests and bench run the same CLI. */
export { ROOT, CLI } from '../test/harness/process.js';
/** One JSON line of a child's stdout (the harness's type). */
export type { Json } from '../test/harness/process.js';

/**
 * The steps of a run, named up front so that every progress line says how far
 * the run is: `[bench 3/12] tunnel via our relay: run 2/3 ...`.
 */
export const STEP = {
  rawDc: 'raw data channel',
  tunnel: 'tunnel, direct',
  setup: 'setup',
  throughput: 'throughput',
  latency: 'latency',
  ourRelay: 'tunnel via our relay',
  coturn: 'tunnel via coturn',
  relayed: 'relayed throughput',
  stop: 'stopping the loopback processes',
  lab: 'lab rows',
  results: 'results',
} as const;
export type StepName = (typeof STEP)[keyof typeof STEP];

let plan: StepName[] = [];
let current = -1;

/** The steps this run will take, in order (progress lines are numbered against them). */
export function planSteps(steps: StepName[]): void {
  plan = steps;
  current = -1;
}

/** Enter a planned step, with a line saying what it starts doing. */
export function step(name: StepName, what: string): void {
  const i = plan.indexOf(name);
  if (i < 0) throw new Error(`bench step "${name}" is not in the plan (${plan.join(', ')})`);
  current = i;
  progress(what);
}

/** One progress line on stderr, prefixed with the current step when there is a plan. */
export function progress(msg: string): void {
  const at = plan[current];
  process.stderr.write(at === undefined ? `[bench] ${msg}\n` : `[bench ${current + 1}/${plan.length}] ${at}: ${msg}\n`);
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * The flags of a standalone bench program: `flags` maps each flag to what it does
 * with its value (`value()` reads the next argument; `whole()` a whole number >= 1).
 * An unknown flag throws with `usage`.
 */
export function parseFlags(argv: string[], flags: Record<string, (arg: { value: () => string; whole: () => number }) => void>, usage: string): void {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const f = flags[a];
    if (!f) throw new Error(`unknown argument ${a}\nusage: ${usage}`);
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    f({
      value,
      whole: () => {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 1) throw new Error(`${a} needs a whole number >= 1`);
        return v;
      },
    });
  }
}
