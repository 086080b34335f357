/**
 * One row of the public-port bench: a started path (paths.ts) measured from
 * the client's place, in this order (the memory figure before the bulk
 * transfer, whose buffers would blur it):
 *
 *   time to first byte  W warm-up connections, then N fresh ones, one at a time:
 *                       connect() to the echo of a 5-byte request; p50/p95
 *   memory              Pss (and Rss) of the proxy side's and of the peer side's
 *                       process trees with 0, M/2 and M idle client connections
 *                       held (each proven end to end by an echoed byte), each read
 *                       after a full GC in the node processes (p2prc) and once the
 *                       reading has settled. Per connection: the growth from M/2 to
 *                       M over M/2 (the marginal cost: the first half has used up
 *                       what the allocators kept from earlier connections), and
 *                       from 0 to M over M beside it
 *   throughput          one bulk transfer of B MiB up (client -> the service's sink)
 *                       and one down (the service's source -> client), each after a
 *                       warm-up, byte count and sha256 checked; the CPU of the proxy
 *                       side's and of the peer side's processes per MiB over all four
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MiB, transferTimeoutMs } from '../common.js';
import { p50p95 } from '../stats.js';
import { treeCpuMs, treeMemory, type TreeMemory } from './memory.js';
import type { Started } from './paths.js';
import type { Place } from './places.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const CLIENT = join(HERE, 'client.js');
/** Unmeasured bytes before the bulk transfer (the congestion window, JIT), fewer if the transfer is smaller. */
const WARM_BYTES = 16 * MiB;
/** The bulk transfer times out below this rate (the emulated link carries 23 MiB/s). */
const FLOOR_MIBPS = 0.5;
/** Memory readings while idle: until two in a row differ by under SETTLED_KIB, at most this many. */
const SETTLE_READS = 20;
const SETTLE_EVERY_MS = 250;
const SETTLED_KIB = 64;

export interface Bulk {
  mibPerSec: number;
  ms: number;
  sha256: string;
}

export interface Measured {
  up: Bulk;
  down: Bulk;
  ttfb: { p50: number; p95: number; samples: number[] };
  idle: { conns: number; openMs: number; proxy: MemDelta; peer: MemDelta };
  /** CPU ms per MiB moved (warm-up and measured transfer), proxy side and peer side. */
  cpu: { proxyMsPerMib: number; peerMsPerMib: number };
}

export interface MemDelta {
  /** With 0, M/2 and M connections held. */
  base: TreeMemory;
  mid: TreeMemory;
  full: TreeMemory;
  /** (full - mid) / (M/2), KiB: the marginal cost of an idle connection. */
  pssKiBPerConn: number;
  rssKiBPerConn: number;
  /** (full - base) / M, KiB. */
  pssKiBPerConnFrom0: number;
}

export interface MeasureOptions {
  bytes: number;
  conns: number;
  warmConns: number;
  idleConns: number;
  progress: (line: string) => void;
}

/** Run the client in `place` with `args`; its one JSON result line (or its error). */
async function runClient(place: Place, name: string, args: string[], timeoutMs: number): Promise<Record<string, unknown>> {
  const p = place.spawn(name, process.execPath, [CLIENT, ...args]);
  try {
    const ev = await p.waitForEvent((o) => !('text' in o), timeoutMs);
    if (typeof ev.error === 'string') throw new Error(`${name}: ${ev.error}`);
    return ev;
  } finally {
    await p.stop('SIGKILL', 2000);
  }
}

const delta = (base: TreeMemory, mid: TreeMemory, full: TreeMemory, half: number): MemDelta => ({
  base,
  mid,
  full,
  pssKiBPerConn: (full.pssKiB - mid.pssKiB) / half,
  rssKiBPerConn: (full.rssKiB - mid.rssKiB) / half,
  pssKiBPerConnFrom0: (full.pssKiB - base.pssKiB) / (2 * half),
});

/** Memory of `pids` (after a full GC where the path can ask for one) once two readings SETTLE_EVERY_MS apart agree within SETTLED_KIB (bounded). */
async function settled(pids: number[], gc?: () => Promise<void>): Promise<TreeMemory> {
  await gc?.();
  let last = treeMemory(pids);
  for (let i = 0; i < SETTLE_READS; i++) {
    await new Promise((r) => setTimeout(r, SETTLE_EVERY_MS));
    const now = treeMemory(pids);
    const stable = Math.abs(now.pssKiB - last.pssKiB) < SETTLED_KIB;
    last = now;
    if (stable) break;
  }
  return last;
}

export async function measure(client: Place, path: Started, o: MeasureOptions): Promise<Measured> {
  const host = path.host;
  const port = String(path.port);

  o.progress(`time to first byte: ${o.warmConns} warm-up + ${o.conns} fresh connections`);
  const t = await runClient(client, 'ttfb', ['ttfb', host, port, String(o.conns), String(o.warmConns)], 60_000 + (o.conns + o.warmConns) * 5000);
  const samples = t.samples as number[];
  const pp = p50p95(samples)!;

  const half = Math.max(1, Math.floor(o.idleConns / 2));
  o.progress(`memory: ${half}, then ${2 * half} idle connections through the public port`);
  const read = async (): Promise<[TreeMemory, TreeMemory]> => [await settled(path.proxyPids, path.gc), treeMemory(path.peerPids)];
  const base = await read();
  const idle = client.spawn('idle', process.execPath, [CLIENT, 'idle', host, port, String(half)], { stdin: true });
  let openMs = 0;
  let mid: [TreeMemory, TreeMemory];
  let full: [TreeMemory, TreeMemory];
  const opened = async (n: number): Promise<void> => {
    const ev = await idle.waitForEvent((e) => e.open === n || typeof e.error === 'string', 60_000 + half * 500);
    if (typeof ev.error === 'string') throw new Error(`idle: ${ev.error}`);
    openMs += Number(ev.ms);
  };
  try {
    await opened(half);
    mid = await read();
    idle.child.stdin?.write('more\n');
    await opened(2 * half);
    full = await read();
    idle.child.stdin?.end();
    await idle.waitForEvent({ closed: 2 * half }, 30_000);
  } finally {
    await idle.stop('SIGKILL', 2000);
  }

  const bytes = o.bytes;
  const warm = Math.min(bytes, WARM_BYTES);
  o.progress(`throughput: ${bytes / MiB} MiB up, then down, each after ${warm / MiB} MiB of warm-up`);
  const ms = transferTimeoutMs(bytes + warm, FLOOR_MIBPS);
  const cpu0 = [treeCpuMs(path.proxyPids), treeCpuMs(path.peerPids)];
  const b = await runClient(client, 'bulk', ['bulk', host, port, String(bytes), String(warm), String(ms)], 2 * ms + 10_000);
  const moved = (2 * (bytes + warm)) / MiB;
  const cpu = { proxyMsPerMib: (treeCpuMs(path.proxyPids) - cpu0[0]!) / moved, peerMsPerMib: (treeCpuMs(path.peerPids) - cpu0[1]!) / moved };

  const bulk = (x: unknown): Bulk => {
    const r = x as Record<string, unknown>;
    return { mibPerSec: Number(r.mibPerSec), ms: Number(r.ms), sha256: String(r.sha256) };
  };
  return {
    up: bulk(b.up),
    down: bulk(b.down),
    ttfb: { ...pp, samples },
    idle: { conns: 2 * half, openMs, proxy: delta(base[0], mid[0], full[0], half), peer: delta(base[1], mid[1], full[1], half) },
    cpu,
  };
}
