/**
 * A watchdog for Node's main thread: a worker thread that ends the process when
 * the main thread has not run for a while, i.e. it is stuck in a native call that
 * never returns. A long-lived peer (`p2prc expose`) that hangs looks alive to its
 * supervisor while it serves nothing; one that exits is restarted.
 *
 * The known cause: libdatachannel 0.24.5 (node-datachannel 0.33.4) can deadlock
 * when a relayed PeerConnection starts DTLS (see "Relayed DTLS deadlock" in
 * src/peer/session.ts). libjuice's one poll thread then stops for every session
 * of the process, and the main thread blocks at its next call into libjuice; no
 * PeerConnection of that process ever works again, so ending it is all there is.
 *
 * The main thread counts a beat every BEAT_MS in shared memory; the worker wakes
 * every BEAT_MS and, when the count has not moved for `stallMs`, writes one line
 * to stderr and kills the process (SIGKILL: a blocked main thread runs no exit
 * handler). Off while a debugger is attached (a paused debugger blocks the main
 * thread too), and with P2PRC_WATCHDOG_MS=0.
 */
import { url as inspectorUrl } from 'node:inspector';
import { Worker } from 'node:worker_threads';
import { ErrorCode } from '../protocol/errors.js';

/** How long the main thread may stay away before the process is ended. */
export const WATCHDOG_STALL_MS = 30_000;
/** The main thread's beat, and the worker's check, period. */
export const BEAT_MS = 250;

export interface Watchdog {
  stop(): void;
}

/** The worker: an eval'd CommonJS script (execArgv: [], whatever the process's --input-type), no imports from this package. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const beats = new Int32Array(workerData.beats);
const tick = new Int32Array(new SharedArrayBuffer(4));
let last = Atomics.load(beats, 0);
let since = Date.now();
for (;;) {
  Atomics.wait(tick, 0, 0, workerData.beatMs);
  const now = Date.now();
  const b = Atomics.load(beats, 0);
  if (b !== last) {
    last = b;
    since = now;
    continue;
  }
  if (now - since >= workerData.stallMs) {
    writeSync(2, new Date(now).toISOString() + ' FATAL [watchdog] code=' + workerData.code + ' the main thread has not run for ' + (now - since) + ' ms: ' + workerData.what + '; ending the process\\n');
    process.kill(process.pid, 'SIGKILL');
  }
}
`;

/**
 * Start the watchdog (`what`: the likely cause, printed when it fires). Returns
 * undefined when it is off (debugger attached, P2PRC_WATCHDOG_MS=0).
 */
export function startWatchdog(what: string, stallMs = Number(process.env.P2PRC_WATCHDOG_MS ?? WATCHDOG_STALL_MS)): Watchdog | undefined {
  if (!(stallMs > 0) || inspectorUrl() !== undefined) return undefined;
  const beats = new SharedArrayBuffer(4);
  const counter = new Int32Array(beats);
  const timer = setInterval(() => Atomics.add(counter, 0, 1), BEAT_MS);
  timer.unref();
  const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { beats, beatMs: BEAT_MS, stallMs, what, code: ErrorCode.MainThreadBlocked } });
  worker.unref();
  return {
    stop(): void {
      clearInterval(timer);
      void worker.terminate();
    },
  };
}
