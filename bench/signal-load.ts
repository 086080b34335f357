/**
 * The load-client processes of the signal-scale bench, seen from the bench:
 * K children (signal-load-child.ts), each holding its share of the crowd, told
 * what to do over stdin and answering on stdout; their replies merged.
 */
import { fileURLToPath } from 'node:url';
import type { Json } from './common.js';
import { spawnProgram, stopProc, type Proc } from './proc.js';
import type { ServerKind } from './signal-wire.js';
import { merge, type Histogram } from './histogram.js';

export interface LoadReply extends Json {
  seq: number;
  error?: string;
}

export class LoadClients {
  readonly procs: Proc[] = [];
  /** Peers each process holds (even, so that every peer has a partner in its process). */
  readonly shares: number[] = [];
  private seq = 0;

  constructor(kind: ServerKind, url: string, peers: number, clients: number) {
    const child = fileURLToPath(new URL('./signal-load-child.js', import.meta.url));
    let first = 0;
    for (let k = 0; k < clients; k++) {
      const count = 2 * Math.round((peers - first) / (clients - k) / 2);
      this.shares.push(count);
      this.procs.push(spawnProgram(`${kind}-load-${k}`, process.execPath, [child, JSON.stringify({ kind, url, first, count })]));
      first += count;
    }
  }

  get pids(): number[] {
    return this.procs.map((p) => p.pid!);
  }

  /** Send `cmd` to every process (`perProcess` adds per-process fields) and wait for all the replies. */
  async all(cmd: Json, timeoutMs: number, perProcess: (k: number) => Json = () => ({})): Promise<LoadReply[]> {
    const seq = ++this.seq;
    this.procs.forEach((p, k) => p.send({ ...cmd, ...perProcess(k), seq }));
    const replies = (await Promise.all(this.procs.map((p) => p.waitForEvent({ event: 'done', seq }, timeoutMs)))) as LoadReply[];
    const failed = replies.find((r) => r.error);
    if (failed) throw new Error(`load client: ${String(cmd.cmd)} failed: ${failed.error}`);
    return replies;
  }

  async stop(): Promise<void> {
    await Promise.all(this.procs.map((p) => stopProc(p).catch(() => undefined)));
  }
}

/** The phase replies summed: signals delivered per second (each process over its own window), latency, losses, other frames. */
export function mergePhase(replies: LoadReply[]): { perSec: number; hist: Histogram; lost: number; others: Record<string, number>; firstOther?: string } {
  const hist: Histogram = {};
  const others: Record<string, number> = {};
  let perSec = 0;
  let lost = 0;
  let firstOther: string | undefined;
  for (const r of replies) {
    perSec += Number(r.delivered) / Number(r.seconds);
    lost += Number(r.lost);
    merge(hist, r.hist as Histogram);
    for (const [k, v] of Object.entries(r.others as Record<string, number>)) others[k] = (others[k] ?? 0) + v;
    firstOther ??= r.firstOther as string | undefined;
  }
  return { perSec, hist, lost, others, firstOther };
}
