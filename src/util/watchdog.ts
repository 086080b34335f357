/**
 * A watchdog for Node's main thread: a worker thread that ends the process when
 * the main thread has not run for a while, i.e. it is stuck in a native call that
 * never returns. A long-lived peer (`p2prc expose`) that hangs looks alive to its
 * supervisor while it serves nothing; one that exits is restarted.
 *
 * The known cause: libdatachannel 0.24.5 in node-datachannel 0.33.4's prebuilt addon
 * can deadlock when a relayed PeerConnection starts DTLS (see "Relayed DTLS deadlock"
 * in src/peer/stall-reason.ts; the addon native/build.sh builds has the fix). libjuice's one poll thread then stops for every session
 * of the process, and the main thread blocks at its next call into libjuice; no
 * PeerConnection of that process ever works again, so ending it is all there is.
 *
 * The main thread counts a beat every BEAT_MS in shared memory; the worker wakes
 * every BEAT_MS and, when the count has not moved for `stallMs`, writes one line
 * to stderr and kills the process (SIGKILL: a blocked main thread runs no exit
 * handler). Time is monotonic, and a pause of the whole process (a suspended
 * machine, SIGSTOP) restarts the count. Off while a debugger is attached (a paused debugger blocks the main
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

/** What the worker remembers between checks (monotonic ms). */
export interface WatchState {
  last: number;
  prev: number;
  since: number;
}

/**
 * One check of the worker (pure; its source is copied into the worker, so it
 * uses nothing outside itself): true when the main thread has not beaten for
 * `stallMs`. A check that came more than 4 beats after the previous one means
 * the whole process was paused (a suspended machine, SIGSTOP), not the main
 * thread alone, and restarts the count, as a new beat does.
 */
export function watchCheck(s: WatchState, now: number, beat: number, beatMs: number, stallMs: number): boolean {
  const paused = now - s.prev > 4 * beatMs;
  s.prev = now;
  if (beat !== s.last || paused) {
    s.last = beat;
    s.since = now;
    return false;
  }
  return now - s.since >= stallMs;
}

/** The worker: an eval'd CommonJS script (execArgv: [], whatever the process's --input-type), no imports from this package. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const watchCheck = ${watchCheck.toString()};
const beats = new Int32Array(workerData.beats);
const tick = new Int32Array(new SharedArrayBuffer(4));
const start = performance.now();
const state = { last: Atomics.load(beats, 0), prev: start, since: start };
for (;;) {
  Atomics.wait(tick, 0, 0, workerData.beatMs);
  const now = performance.now();
  if (watchCheck(state, now, Atomics.load(beats, 0), workerData.beatMs, workerData.stallMs)) {
    writeSync(2, new Date().toISOString() + ' FATAL [watchdog] code=' + workerData.code + ' the main thread has not run for ' + Math.round(now - state.since) + ' ms: ' + workerData.what + '; ending the process\\n');
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
