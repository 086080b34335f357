/**
 * Number work on the measured runs: rounding for the output, latency
 * percentiles, and the best run's throughput and CPU cost.
 */
import { BUSY_CORES } from './common.js';

export const r1 = (n: number): number => Math.round(n * 10) / 10;
export const r2 = (n: number): number => Math.round(n * 100) / 100;
export const r3 = (n: number): number => Math.round(n * 1000) / 1000;

export interface Latency {
  meanUs: number;
  p50Us: number;
  p99Us: number;
  minUs: number;
}

/**
 * p50 and p95 of a few samples by nearest rank (the sample at ceil(p * n) - 1
 * once sorted: of 2 samples, p50 is the lower one); null when there are none.
 */
export function p50p95(samples: number[]): { p50: number; p95: number } | null {
  if (samples.length === 0) return null;
  const s = [...samples].sort((a, b) => a - b);
  const rank = (p: number): number => s[Math.max(0, Math.ceil(p * s.length) - 1)]!;
  return { p50: rank(0.5), p95: rank(0.95) };
}

export function latency(rtts: number[]): Latency {
  const s = [...rtts].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { meanUs: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length), p50Us: q(0.5), p99Us: q(0.99), minUs: s[0] ?? NaN };
}

export interface Run {
  secs: number;
  /** CPU ms per process during the run (bench = this process). */
  cpuMs: Record<string, number>;
}

export interface Throughput {
  bestMiBps: number;
  runsMiBps: number[];
  /** CPU of the best run: total ms, ms per MiB, cores busy on average, and per process. */
  cpuMs: number;
  cpuMsPerMiB: number;
  cores: number;
  coresByProcess: Record<string, number>;
}

export function throughput(mib: number, runs: Run[]): Throughput {
  const rates = runs.map((r) => mib / r.secs);
  let best = runs[0]!;
  for (const r of runs) if (r.secs < best.secs) best = r;
  const cpuMs = Object.values(best.cpuMs).reduce((a, b) => a + b, 0);
  const coresByProcess: Record<string, number> = {};
  for (const [k, v] of Object.entries(best.cpuMs)) {
    const cores = v / (best.secs * 1000);
    if (cores >= BUSY_CORES) coresByProcess[k] = r2(cores); // idle bystanders left out
  }
  return { bestMiBps: mib / best.secs, runsMiBps: rates, cpuMs, cpuMsPerMiB: cpuMs / mib, cores: cpuMs / (best.secs * 1000), coresByProcess };
}

export function mapVals<T extends object>(o: T, f: (n: number) => number): Record<keyof T, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v as number)])) as Record<keyof T, number>;
}
