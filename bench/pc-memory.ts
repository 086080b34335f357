/**
 * Memory per idle PeerConnection (issue #9): N connected PeerConnection pairs in
 * this one process, each with one open data channel and no traffic, with the SCTP
 * buffers at libdatachannel's stock size or at --buffer-kib. Prints the RSS growth
 * per PeerConnection (from /proc/self/status, after a forced GC), and the JS heap
 * and external memory for comparison.
 *
 *   node dist/bench/pc-memory.js [--buffer-kib N] [--pairs N] [--burst-kib K] [--json]
 *
 * One pair is made and kept before the baseline, so that what the first
 * PeerConnection of a process sets up once (libdatachannel's threads, usrsctp,
 * OpenSSL) is not counted. With --burst-kib K each pair's channel first carries
 * K KiB one way (acknowledged), then goes idle: what the buffers keep after use.
 * All on 127.0.0.1, no ICE servers. Settings are process-wide, so one run measures
 * one buffer size: run it once per size.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import ndc from 'node-datachannel';
import type { DataChannel, PeerConnection } from 'node-datachannel';
import { linkInProcess } from '../test/harness/ndc-link.js';
import { STOCK_SCTP, applySctpTuning, currentSctpTuning, describeSctp, SCTP_LIMITS, type SctpTuning } from '../src/peer/sctp-settings.js';
import { HOST, KiB, START_TIMEOUT_MS, progress, withTimeout } from './common.js';

/** Pairs connected at once while filling up. */
const BATCH = 10;
/** After the last pair opens: ICE and SCTP timers settle, freed memory is returned. */
const SETTLE_MS = 1000;

interface Args {
  bufferKib?: number;
  pairs: number;
  burstKib: number;
  json: boolean;
}

function usage(): string {
  return `usage: node dist/bench/pc-memory.js [--buffer-kib N] [--pairs N] [--burst-kib K] [--json]
  --buffer-kib N  SCTP receive and send buffer, KiB (as p2prc --sctp-buffer-kib; default libdatachannel's 1024)
  --pairs N       connected PeerConnection pairs to hold (default 50)
  --burst-kib K   send K KiB over each pair's channel before measuring it idle (default 0)
  --json          one JSON object instead of the table`;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { pairs: 50, burstKib: 0, json: false };
  const whole = (i: number, name: string, min: number, max: number): number => {
    const v = Number(argv[i + 1]);
    if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${name} needs a whole number from ${min} to ${max}\n${usage()}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    if (f === '--buffer-kib') a.bufferKib = whole(i++, f, SCTP_LIMITS.recvBufferSize.min / KiB, SCTP_LIMITS.recvBufferSize.max / KiB);
    else if (f === '--pairs') a.pairs = whole(i++, f, 1, 1000);
    else if (f === '--burst-kib') a.burstKib = whole(i++, f, 0, 1024 * 1024);
    else if (f === '--json') a.json = true;
    else if (f === '--help' || f === '-h') {
      process.stdout.write(usage() + '\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${f}\n${usage()}`);
  }
  return a;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function rssKib(): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (!m) throw new Error('no VmRSS in /proc/self/status');
  return Number(m[1]);
}

interface Sample {
  rssKib: number;
  heapKib: number;
  externalKib: number;
  threads: number;
}

function sample(): Sample {
  gc();
  const mu = process.memoryUsage();
  const threads = Number(/^Threads:\s+(\d+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);
  return { rssKib: rssKib(), heapKib: mu.heapUsed / KiB, externalKib: (mu.external + mu.arrayBuffers) / KiB, threads };
}

/** Two PeerConnections of this process, connected, with one open data channel. */
interface Pair {
  a: PeerConnection;
  b: PeerConnection;
  dcA: DataChannel;
  dcB: DataChannel;
}

async function connectPair(i: number): Promise<Pair> {
  const a = new ndc.PeerConnection(`mem-a${i}`, { iceServers: [], bindAddress: HOST });
  const b = new ndc.PeerConnection(`mem-b${i}`, { iceServers: [], bindAddress: HOST });
  linkInProcess(a, b);
  linkInProcess(b, a);
  const gotB = new Promise<DataChannel>((resolve) => b.onDataChannel((dc) => resolve(dc)));
  const dcA = a.createDataChannel('idle');
  const openA = new Promise<void>((resolve, reject) => {
    dcA.onOpen(() => resolve());
    dcA.onError((e) => reject(new Error(`pair ${i}: ${e}`)));
  });
  const [dcB] = await withTimeout(Promise.all([gotB, openA]), START_TIMEOUT_MS, `pair ${i} open`);
  return { a, b, dcA, dcB };
}

/** `kib` KiB from a to b in 64 KiB messages, paced by bufferedAmount; resolves once b has it all. */
function burst(p: Pair, kib: number): Promise<void> {
  const total = kib * KiB;
  const chunk = Buffer.alloc(64 * KiB, 7);
  let got = 0;
  let sent = 0;
  const done = new Promise<void>((resolve) =>
    p.dcB.onMessage((m) => {
      got += typeof m === 'string' ? m.length : m.byteLength;
      if (got >= total) resolve();
    }),
  );
  const pump = (): void => {
    while (sent < total && p.dcA.bufferedAmount() < 1024 * KiB) {
      const n = Math.min(chunk.length, total - sent);
      p.dcA.sendMessageBinary(n === chunk.length ? chunk : chunk.subarray(0, n));
      sent += n;
    }
  };
  p.dcA.setBufferedAmountLowThreshold(256 * KiB);
  p.dcA.onBufferedAmountLow(pump);
  pump();
  return withTimeout(done, START_TIMEOUT_MS * 4, 'burst');
}

async function connectPairs(n: number, first: number, burstKib: number): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (let i = 0; i < n; i += BATCH) {
    const batch = await Promise.all(Array.from({ length: Math.min(BATCH, n - i) }, (_, j) => connectPair(first + i + j)));
    if (burstKib > 0) for (const p of batch) await burst(p, burstKib);
    pairs.push(...batch);
  }
  return pairs;
}

function close(pairs: Pair[]): void {
  for (const p of pairs) {
    for (const x of [p.dcA, p.dcB, p.a, p.b]) {
      try {
        x.close();
      } catch {
        /* closed */
      }
    }
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const tuning: SctpTuning | undefined = args.bufferKib === undefined ? undefined : { recvBufferSize: args.bufferKib * KiB, sendBufferSize: args.bufferKib * KiB };
  applySctpTuning(tuning ?? { ...STOCK_SCTP }); // no flag: stock, as the usage says
  const sctp = describeSctp(currentSctpTuning() ?? {});
  progress(`pc-memory: ${args.pairs} pairs, SCTP ${sctp}${args.burstKib ? `, ${args.burstKib} KiB burst per pair` : ''}`);
  ndc.preload();
  const warm = await connectPairs(1, 0, args.burstKib);
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const before = sample();
  const t0 = performance.now();
  const pairs = await connectPairs(args.pairs, 1, args.burstKib);
  const openMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const after = sample();
  const pcs = 2 * args.pairs;
  const per = (k: keyof Sample): number => (after[k] - before[k]) / pcs;
  const result = {
    sctp,
    bufferKib: args.bufferKib ?? null,
    pairs: args.pairs,
    peerConnections: pcs,
    burstKib: args.burstKib,
    openMs: Math.round(openMs),
    rssKib: { before: before.rssKib, after: after.rssKib, perPeerConnection: Math.round(per('rssKib') * 10) / 10 },
    heapKibPerPeerConnection: Math.round(per('heapKib') * 10) / 10,
    externalKibPerPeerConnection: Math.round(per('externalKib') * 10) / 10,
    threads: { before: before.threads, after: after.threads },
  };
  if (args.json) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    process.stdout.write(
      [
        `SCTP ${sctp}; ${pcs} PeerConnections (${args.pairs} connected pairs, one open channel each, idle${args.burstKib ? ` after ${args.burstKib} KiB each` : ''}); opened in ${result.openMs} ms`,
        `RSS ${before.rssKib} -> ${after.rssKib} KiB: ${result.rssKib.perPeerConnection} KiB per PeerConnection`,
        `JS heap ${result.heapKibPerPeerConnection} KiB, external ${result.externalKibPerPeerConnection} KiB per PeerConnection; threads ${before.threads} -> ${after.threads}`,
      ].join('\n') + '\n',
    );
  }
  close([...warm, ...pairs]);
  ndc.cleanup();
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`pc-memory failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
