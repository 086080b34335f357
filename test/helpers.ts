/**
 * Test harness: real `p2prc` processes, real TCP services, temp data dirs.
 * Everything a test starts is registered and removed by cleanup(), which
 * every suite calls in `after` (also when a test fails). The process wrapper
 * lives in harness/process.ts and the TCP services in harness/tcp.ts; this
 * file starts the three p2prc roles (with `--json`: waits key on their JSON
 * events, not on log text) and re-exports both.
 */
import type { Route } from '../src/peer/ice.js';
import { Proc, tmpDir, type Json } from './harness/process.js';

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

/** A `route` event as `p2prc --json connect|expose` prints it (connect adds target, expose peer and peerId). */
export interface RouteEvent extends Route {
  event: 'route';
  target?: string;
  peer?: string;
  peerId?: string;
  previous?: Route;
}

/** The event as a route (after a wait for `{ event: 'route', ... }`). */
export function asRoute(o: Json): RouteEvent {
  if (o.event !== 'route') throw new Error(`not a route event: ${JSON.stringify(o)}`);
  return o as unknown as RouteEvent;
}

/**
 * A `p2prc server` on 127.0.0.1 with its relay on a free UDP port. Loopback tests
 * allow private peers (every address here is 127.0.0.1) unless told otherwise.
 */
export async function startSignal(extra: string[] = [], port = 0, dataDir = tmpDir(), opts: { allowPrivatePeers?: boolean } = {}): Promise<SignalProc> {
  const relayArgs = ['--stun-port', '0', ...(opts.allowPrivatePeers === false ? [] : ['--allow-private-peers'])];
  const proc = new Proc('server', ['--json', 'server', '--host', '127.0.0.1', '--port', String(port), ...relayArgs, '--data-dir', dataDir, ...extra]);
  const ev = await proc.waitForEvent({ event: 'listening', address: '127.0.0.1' });
  const p = Number(ev.port);
  const relay = !extra.includes('--no-relay');
  if (relay && typeof ev.stunPort !== 'number') throw new Error(`server: listening without its STUN/TURN relay: ${JSON.stringify(ev)}\n${proc.dump()}`);
  return { proc, port: p, url: `ws://127.0.0.1:${p}`, dataDir, ...(relay ? { stunPort: Number(ev.stunPort) } : {}) };
}

export async function startExpose(name: string, services: string[], url: string, dataDir = tmpDir(), extra: string[] = []): Promise<{ proc: Proc; dataDir: string; peerId: string }> {
  const proc = new Proc(`expose:${name}`, ['--json', 'expose', ...services, '--name', name, '--server', url, '--data-dir', dataDir, '--bind', '127.0.0.1', ...extra]);
  const ev = await proc.waitForEvent({ event: 'registered', peerId: /^[0-9a-f]{40}$/ });
  return { proc, dataDir, peerId: String(ev.peerId) };
}

export async function startConnect(target: string, url: string, dataDir = tmpDir(), extra: string[] = []): Promise<{ proc: Proc; port: number; dataDir: string }> {
  const proc = new Proc(`connect:${target}`, ['--json', 'connect', target, '--listen', '127.0.0.1:0', '--server', url, '--data-dir', dataDir, '--bind', '127.0.0.1', ...extra]);
  const ev = await proc.waitForEvent({ event: 'listening', address: '127.0.0.1' });
  return { proc, port: Number(ev.port), dataDir };
}
