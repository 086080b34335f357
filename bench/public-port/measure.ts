/**
 * One row of the public-port bench: a started path (paths.ts) measured from
 * the client's place, in this order (the memory figure before the bulk
 * transfer, whose buffers would blur it):
 *
 *   time to first byte  W warm-up connections, then N fresh ones, one at a time:
 *                       connect() to the echo of a 5-byte request; p50/p95
 *   memory              Pss (and Rss) of the proxy side's and of the peer side's
 *                       process trees, before and while M idle client connections
 *                       (each proven end to end by an echoed byte) are held; the
 *                       delta / M, once the reading has settled
 *   throughput          one bulk transfer of B MiB to the service's sink after a
 *                       warm-up, byte count and sha256 checked by the client
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MiB, transferTimeoutMs } from '../common.js';
import { p50p95 } from '../stats.js';
import { treeMemory, type TreeMemory } from './memory.js';
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

export interface Measured {
  mibPerSec: number;
  bulkMs: number;
  sha256: string;
  ttfb: { p50: number; p95: number; samples: number[] };
  idle: { conns: number; openMs: number; proxy: MemDelta; peer: MemDelta };
}

export interface MemDelta {
  before: TreeMemory;
  after: TreeMemory;
  /** (after - before) / conns, KiB. */
  pssKiBPerConn: number;
  rssKiBPerConn: number;
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

const delta = (before: TreeMemory, after: TreeMemory, n: number): MemDelta => ({
  before,
  after,
  pssKiBPerConn: (after.pssKiB - before.pssKiB) / n,
  rssKiBPerConn: (after.rssKiB - before.rssKiB) / n,
});

/** Memory of `pids` once two readings SETTLE_EVERY_MS apart agree within SETTLED_KIB (bounded). */
async function settled(pids: number[]): Promise<TreeMemory> {
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

  o.progress(`memory: ${o.idleConns} idle connections through the public port`);
  const proxyBefore = await settled(path.proxyPids);
  const peerBefore = treeMemory(path.peerPids);
  const idle = client.spawn('idle', process.execPath, [CLIENT, 'idle', host, port, String(o.idleConns)], { stdin: true });
  let openMs: number;
  let proxyAfter: TreeMemory;
  let peerAfter: TreeMemory;
  try {
    const ev = await idle.waitForEvent((e) => e.open === o.idleConns || typeof e.error === 'string', 60_000 + o.idleConns * 500);
    if (typeof ev.error === 'string') throw new Error(`idle: ${ev.error}`);
    openMs = Number(ev.ms);
    proxyAfter = await settled(path.proxyPids);
    peerAfter = treeMemory(path.peerPids);
    idle.child.stdin?.end();
    await idle.waitForEvent({ closed: o.idleConns }, 30_000);
  } finally {
    await idle.stop('SIGKILL', 2000);
  }

  const bytes = o.bytes;
  const warm = Math.min(bytes, WARM_BYTES);
  o.progress(`throughput: ${bytes / MiB} MiB after ${warm / MiB} MiB of warm-up`);
  const ms = transferTimeoutMs(bytes + warm, FLOOR_MIBPS);
  const b = await runClient(client, 'bulk', ['bulk', host, port, String(bytes), String(warm), String(ms)], ms + 10_000);

  return {
    mibPerSec: Number(b.mibPerSec),
    bulkMs: Number(b.ms),
    sha256: String(b.sha256),
    ttfb: { ...pp, samples },
    idle: { conns: o.idleConns, openMs, proxy: delta(proxyBefore, proxyAfter, o.idleConns), peer: delta(peerBefore, peerAfter, o.idleConns) },
  };
}
