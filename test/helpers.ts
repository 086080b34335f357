/**
 * Test harness: real `p2prc` processes, real TCP services, temp data dirs.
 * Everything a test starts is registered and removed by cleanup(), which
 * every suite calls in `after` (also when a test fails). The process wrapper
 * lives in harness/process.ts and the TCP services in harness/tcp.ts; this
 * file starts the three p2prc roles and re-exports both.
 */
import { Proc, tmpDir } from './harness/process.js';

export { CLI, DEFAULT_STOP_GRACE_MS, DEFAULT_WAIT_MS, Proc, ROOT, atCleanup, cleanup, eventMatches, tmpDir, waitUntil, withDumps } from './harness/process.js';
export type { EventMatch, Json, ProcOptions, TimedEvent } from './harness/process.js';
export { checksumService, closedPort, connectAndWaitClose, echoService, exchange, holdService, randomData, sha256 } from './harness/tcp.js';

export interface SignalProc {
  proc: Proc;
  port: number;
  url: string;
  dataDir: string;
  /** UDP port of the STUN/TURN relay, when it runs. */
  stunPort?: number;
}

/**
 * A `p2prc server` on 127.0.0.1 with its relay on a free UDP port. Loopback tests
 * allow private peers (every address here is 127.0.0.1) unless told otherwise.
 */
export async function startSignal(extra: string[] = [], port = 0, dataDir = tmpDir(), opts: { allowPrivatePeers?: boolean } = {}): Promise<SignalProc> {
  const relayArgs = ['--stun-port', '0', ...(opts.allowPrivatePeers === false ? [] : ['--allow-private-peers'])];
  const proc = new Proc('server', ['server', '--host', '127.0.0.1', '--port', String(port), ...relayArgs, '--data-dir', dataDir, ...extra]);
  const m = await proc.waitFor(/listening on ws:\/\/127\.0\.0\.1:(\d+)/, 'out');
  const p = Number(m[1]);
  const relay = extra.includes('--no-relay') ? undefined : await proc.waitFor(/STUN\/TURN relay on 127\.0\.0\.1:(\d+)\/udp/, 'out');
  return { proc, port: p, url: `ws://127.0.0.1:${p}`, dataDir, ...(relay ? { stunPort: Number(relay[1]) } : {}) };
}

export async function startExpose(name: string, services: string[], url: string, dataDir = tmpDir(), extra: string[] = []): Promise<{ proc: Proc; dataDir: string; peerId: string }> {
  const proc = new Proc(`expose:${name}`, ['expose', ...services, '--name', name, '--server', url, '--data-dir', dataDir, '--bind', '127.0.0.1', ...extra]);
  const m = await proc.waitFor(/registered as \S+ \(peer id ([0-9a-f]{40})\)/, 'out');
  return { proc, dataDir, peerId: m[1]! };
}

export async function startConnect(target: string, url: string, dataDir = tmpDir(), extra: string[] = []): Promise<{ proc: Proc; port: number; dataDir: string }> {
  const proc = new Proc(`connect:${target}`, ['connect', target, '--listen', '127.0.0.1:0', '--server', url, '--data-dir', dataDir, '--bind', '127.0.0.1', ...extra]);
  const m = await proc.waitFor(/listening on 127\.0\.0\.1:(\d+)/, 'out');
  return { proc, port: Number(m[1]), dataDir };
}
