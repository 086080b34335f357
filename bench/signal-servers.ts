/**
 * The two signal servers of the signal-scale comparison, each its own child
 * process on 127.0.0.1, and how their memory is read:
 *
 *   ours    `p2prc server --no-relay` with the per-IP caps off
 *           (`--max-conns-per-ip 0 --max-registrations-per-ip 0`), log level warn;
 *   peerjs  `PeerServer` of the `peer` package (peerjs-server.ts), its defaults
 *           but `concurrent_limit`, which is raised above the crowd.
 *
 * Both run as `node --expose-gc --import gc-hook.js ...` (plus
 * BENCH_SERVER_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir DIR`), so that RSS is
 * read from /proc/PID/status after two full GCs the server ran on SIGUSR2.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLI, START_TIMEOUT_MS } from './common.js';
import { spawnProgram, stopProc, type Proc } from './proc.js';
import type { ServerKind } from './signal-wire.js';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
/** After the GCs, RSS is read when two readings this far apart agree within 1 %, or after SETTLE_MAX_MS. */
const SETTLE_STEP_MS = 250;
const SETTLE_MAX_MS = 3000;

export interface ServerChild {
  kind: ServerKind;
  proc: Proc;
  pid: number;
  url: string;
  gcs: number;
}

export const SERVER_NAMES: Record<ServerKind, string> = { ours: 'ours (p2prc server)', peerjs: 'PeerJS (peer 1.0.2)' };

/** The flags our server runs with in the bench, so the report can say which. */
export const OUR_SERVER_FLAGS = ['--no-relay', '--max-conns-per-ip', '0', '--max-registrations-per-ip', '0'];

/** Start one server and wait until it listens; `maxClients` is PeerJS's concurrent_limit. */
export async function startServer(kind: ServerKind, maxClients: number, dataDir: string): Promise<ServerChild> {
  const node = ['--expose-gc', '--import', pathToFileURL(here('./gc-hook.js')).href, ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
  const level = process.env.BENCH_LOG_LEVEL ?? 'warn';
  const proc =
    kind === 'ours'
      ? spawnProgram('ours-server', process.execPath, [...node, CLI, '--json', '--log-level', level, 'server', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, ...OUR_SERVER_FLAGS])
      : spawnProgram('peerjs-server', process.execPath, [...node, here('./peerjs-server.js'), String(maxClients)]);
  const ev = await proc.waitForEvent({ event: 'listening' }, START_TIMEOUT_MS);
  return { kind, proc, pid: proc.pid!, url: `ws://127.0.0.1:${Number(ev.port)}`, gcs: 0 };
}

export function rssKiB(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

export interface Settled {
  /** VmRSS from /proc/PID/status, KiB. */
  rssKiB: number;
  /** The JS heap in use and V8's external memory after the GCs (process.memoryUsage()), KiB. */
  heapKiB: number;
  externalKiB: number;
}

/** The server's memory after it ran two full GCs and its RSS stopped moving. */
export async function settledMemory(s: ServerChild): Promise<Settled> {
  const n = ++s.gcs;
  s.proc.child.kill('SIGUSR2');
  const ev = await s.proc.waitForEvent({ event: 'bench-gc', n }, START_TIMEOUT_MS);
  if (ev.gc !== true) throw new Error(`${s.kind} server: gc() not exposed`);
  const heap = { heapKiB: Number(ev.heapUsed) / 1024, externalKiB: Number(ev.external) / 1024 };
  let last = rssKiB(s.pid);
  for (let waited = 0; waited < SETTLE_MAX_MS; waited += SETTLE_STEP_MS) {
    await new Promise((r) => setTimeout(r, SETTLE_STEP_MS));
    const now = rssKiB(s.pid);
    if (Math.abs(now - last) <= last * 0.01) return { rssKiB: now, ...heap };
    last = now;
  }
  return { rssKiB: last, ...heap };
}

export async function stopServer(s: ServerChild): Promise<void> {
  await stopProc(s.proc);
}
