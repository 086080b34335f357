/**
 * `node dist/bench/bench.js --signal-scale N` (#8 item 2, #9): our signal
 * server and the PeerJS server side by side under the same load, one after the
 * other, each in its own child process on 127.0.0.1, the load from K client
 * processes (signal-load.ts) holding N/K WebSocket peers each:
 *
 *   ramp      N peers register (ours: hello, register signed with a fresh
 *             Ed25519 key, registered; PeerJS: connect with an id, OPEN) in
 *             RAMP_STEPS steps; after each step the server's RSS after GC
 *             (signal-servers.ts): memory per peer = RSS growth / peers;
 *   probes    PROBES new peers register one after another from this process
 *             with N online (p50/p99), and what the crowd received meanwhile;
 *   flood     every process keeps `window` signals in flight between partner
 *             peers (each delivery sends the next): signals relayed per second,
 *             their latency (sent and received in one process, one clock), and
 *             the CPU of the server and of the load processes from /proc;
 *   paced     `rate` signals/s in all, far below either server's capacity:
 *             the latency of a signal when the server is not the queue;
 *   list      ours only: `p2prc peers` pages through everyone.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { CLI, ROOT, progress, withTimeout } from './common.js';
import { procCpuMs, procSysMs } from './cpu.js';
import { count, merge, percentile, type Histogram } from './histogram.js';
import { LoadClients, mergePhase } from './signal-load.js';
import { settledMemory, startServer, stopServer, type ServerChild } from './signal-servers.js';
import { addressOf, nameOf, oursWire, type ServerKind } from './signal-wire.js';
import { peerjsWire } from './peerjs-wire.js';
import { latency } from './stats.js';

/** Largest N: each server and the load processes together hold N sockets, below the usual 20,000 descriptor limit. */
export const MAX_SIGNAL_SCALE = 15_000;
const RAMP_STEPS = 4;
/** New peers timed one after another once the crowd is online. */
const PROBES = 200;
const PROBE_TIMEOUT_MS = 30_000;
/** Bound on one ramp step: generous (a step of 2,500 registrations takes seconds). */
const stepTimeoutMs = (peers: number): number => 60_000 + peers * 20;
/** Unmeasured first part of each load phase. */
const WARM_MS = 2000;
const LIST_TIMEOUT_MS = 120_000;

export interface ScaleOptions {
  peers: number;
  /** Load-client processes. */
  clients: number;
  /** Seconds measured per load phase. */
  seconds: number;
  /** Signals in flight per load process in the flood phase. */
  window: number;
  /** Signals per second in all in the paced phase. */
  rate: number;
}

export interface LoadFigures {
  perSec: number;
  p50Us: number;
  p99Us: number;
  samples: number;
  lost: number;
  serverCores: number;
  /** Share of the server's CPU spent in the kernel (system time: the sockets, loopback TCP included). */
  serverSysShare: number;
  /** Server CPU µs per relayed signal. */
  serverUsPerSignal: number;
  clientCores: number;
}

export interface ServerRun {
  kind: ServerKind;
  peers: number;
  /** The machine's 1-minute load average when this server's run began (other work skews the figures). */
  loadAtStart: number;
  ramp: { peers: number; rssMiB: number; heapMiB: number; seconds: number }[];
  baseRssMiB: number;
  rssMiB: number;
  rssPerPeerKiB: number;
  /** The JS heap's growth per peer (process.memoryUsage().heapUsed after GC), part of the RSS growth. */
  heapPerPeerKiB: number;
  /**
   * The same from the first ramp step to the last (the slope): what one more peer
   * costs, without what the server allocates once whatever N (code compiled while
   * serving, V8's young generation grown under the load).
   */
  rssMarginalKiB: number;
  heapMarginalKiB: number;
  fill: { seconds: number; p50Ms: number; p99Ms: number };
  bytesPerJoin: number;
  probes: { count: number; p50Ms: number; p99Ms: number; maxMs: number; crowdBytesDuring: number };
  flood: LoadFigures;
  paced: LoadFigures;
  /** Frames other than relayed signals and pongs the load clients got (errors, closes): must be none. */
  others: Record<string, number>;
  firstOther?: string;
  list?: { ms: number; listed: number };
}

export interface SignalScaleResult {
  options: ScaleOptions;
  ours: ServerRun;
  peerjs: ServerRun;
}

export async function signalScale(o: ScaleOptions, root: string): Promise<SignalScaleResult> {
  if (o.peers > MAX_SIGNAL_SCALE) throw new Error(`--signal-scale is at most ${MAX_SIGNAL_SCALE}`);
  const ours = await runServer('ours', o, root);
  const peerjs = await runServer('peerjs', o, root);
  return { options: o, ours, peerjs };
}

async function runServer(kind: ServerKind, o: ScaleOptions, root: string): Promise<ServerRun> {
  let server: ServerChild | undefined;
  let load: LoadClients | undefined;
  const loadAtStart = loadavg()[0] ?? 0;
  try {
    progress(`signal scale, ${kind}: starting the server and ${o.clients} load processes`);
    server = await startServer(kind, o.peers + PROBES + 100, `${root}/${kind}`);
    const base = await settledMemory(server);
    load = new LoadClients(kind, server.url, o.peers, o.clients);

    const ramp: ServerRun['ramp'] = [];
    const fillHist: Histogram = {};
    let fillSeconds = 0;
    for (let step = 1; step <= RAMP_STEPS; step++) {
      const shares = load.shares;
      const t0 = performance.now();
      const replies = await load.all({ cmd: 'register' }, stepTimeoutMs(o.peers / RAMP_STEPS), (k) => ({ upTo: Math.ceil((shares[k]! * step) / RAMP_STEPS) }));
      const seconds = (performance.now() - t0) / 1000;
      fillSeconds += seconds;
      for (const r of replies) merge(fillHist, r.hist as Histogram);
      const peers = replies.reduce((s, r) => s + Number(r.registered), 0);
      const mem = await settledMemory(server);
      ramp.push({ peers, rssMiB: mem.rssKiB / 1024, heapMiB: mem.heapKiB / 1024, seconds });
      progress(`  ${peers} registered (${seconds.toFixed(1)} s), server RSS ${ramp.at(-1)!.rssMiB.toFixed(1)} MiB`);
    }
    const full = ramp.at(-1)!;
    const bytesAfterFill = await crowdBytes(load);

    progress(`signal scale, ${kind}: ${PROBES} new peers one after another with ${o.peers} online`);
    const probeMs = await probes(kind, server.url, o.peers);
    const crowdBytesDuring = (await crowdBytes(load)) - bytesAfterFill;

    progress(`signal scale, ${kind}: flood, ${o.window} signals in flight per load process, ${o.seconds} s`);
    const flood = await phase(server, load, { cmd: 'flood', window: o.window }, o.seconds);
    progress(`  ${flood.perSec.toFixed(0)} signals/s, p99 ${(flood.p99Us / 1000).toFixed(1)} ms, server ${flood.serverCores.toFixed(2)} cores`);
    progress(`signal scale, ${kind}: paced, ${o.rate} signals/s, ${o.seconds} s`);
    const paced = await phase(server, load, { cmd: 'paced' }, o.seconds, (k) => ({ rate: (o.rate * load!.shares[k]!) / o.peers }));
    progress(`  p50 ${(paced.p50Us / 1000).toFixed(2)} ms, p99 ${(paced.p99Us / 1000).toFixed(2)} ms`);

    let list: ServerRun['list'];
    if (kind === 'ours') {
      progress('signal scale, ours: p2prc peers lists everyone');
      const l0 = performance.now();
      const listed = await withTimeout(runPeers(server.url, `${root}/peers`), LIST_TIMEOUT_MS, 'p2prc peers');
      list = { ms: performance.now() - l0, listed };
    }
    const probe = latency(probeMs);
    return {
      kind,
      peers: o.peers,
      loadAtStart,
      ramp,
      baseRssMiB: base.rssKiB / 1024,
      rssMiB: full.rssMiB,
      rssPerPeerKiB: (full.rssMiB * 1024 - base.rssKiB) / o.peers,
      heapPerPeerKiB: (full.heapMiB * 1024 - base.heapKiB) / o.peers,
      rssMarginalKiB: ((full.rssMiB - ramp[0]!.rssMiB) * 1024) / (full.peers - ramp[0]!.peers),
      heapMarginalKiB: ((full.heapMiB - ramp[0]!.heapMiB) * 1024) / (full.peers - ramp[0]!.peers),
      fill: { seconds: fillSeconds, p50Ms: percentile(fillHist, 50) / 1000, p99Ms: percentile(fillHist, 99) / 1000 },
      bytesPerJoin: bytesAfterFill / o.peers,
      probes: { count: PROBES, p50Ms: probe.p50Us, p99Ms: probe.p99Us, maxMs: Math.max(...probeMs), crowdBytesDuring },
      flood: strip(flood),
      paced: strip(paced),
      others: paced.others,
      firstOther: paced.firstOther,
      list,
    };
  } finally {
    await load?.stop();
    if (server) await stopServer(server);
  }
}

async function crowdBytes(load: LoadClients): Promise<number> {
  return (await load.all({ cmd: 'bytes' }, 10_000)).reduce((s, r) => s + Number(r.bytes), 0);
}

/** One load phase on every process, with the server's and the load processes' CPU over the measured window. */
async function phase(
  server: ServerChild,
  load: LoadClients,
  cmd: Record<string, unknown>,
  seconds: number,
  perProcess?: (k: number) => Record<string, unknown>,
): Promise<LoadFigures & { others: Record<string, number>; firstOther?: string }> {
  const measureMs = seconds * 1000;
  const cpu = (): number[] => [procCpuMs(server.pid) ?? NaN, procSysMs(server.pid) ?? NaN, ...load.pids.map((p) => procCpuMs(p) ?? NaN)];
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  // The CPU is read over this process's own copy of the measured window (the load processes start theirs as they read the command).
  const meter = (async () => {
    await sleep(WARM_MS);
    const from = cpu();
    const t0 = performance.now();
    await sleep(measureMs);
    return { from, to: cpu(), wallMs: performance.now() - t0 };
  })();
  const [replies, { from, to, wallMs }] = await Promise.all([load.all({ ...cmd, warmMs: WARM_MS, measureMs }, WARM_MS + measureMs + 60_000, perProcess), meter]);
  const m = mergePhase(replies);
  const serverMs = to[0]! - from[0]!;
  const serverSysMs = to[1]! - from[1]!;
  const clientMs = to.slice(2).reduce((s, v, i) => s + v - from[i + 2]!, 0);
  return {
    perSec: m.perSec,
    p50Us: percentile(m.hist, 50),
    p99Us: percentile(m.hist, 99),
    samples: count(m.hist as Histogram),
    lost: m.lost,
    serverCores: serverMs / wallMs,
    serverSysShare: serverSysMs / serverMs,
    serverUsPerSignal: (serverMs * 1000) / (m.perSec * (wallMs / 1000)),
    clientCores: clientMs / wallMs,
    // Cumulative in each load process: what it got besides signals and pongs since it started.
    others: m.others,
    firstOther: m.firstOther,
  };
}

function strip(f: LoadFigures & { others?: unknown; firstOther?: unknown }): LoadFigures {
  const { others: _o, firstOther: _f, ...rest } = f;
  return rest;
}

/** PROBES registrations one after another from this process; their times in ms. */
async function probes(kind: ServerKind, url: string, crowd: number): Promise<number[]> {
  const wire = kind === 'ours' ? oursWire : peerjsWire;
  const none = { onSignal: () => undefined, onOther: () => undefined };
  const ms: number[] = [];
  for (let i = 0; i < PROBES; i++) {
    const t0 = performance.now();
    const p = await wire.connect(url, nameOf('probe', i), addressOf(crowd + i), none, PROBE_TIMEOUT_MS);
    ms.push(performance.now() - t0);
    p.ws.terminate();
  }
  return ms;
}

/** `p2prc --json peers`: how many peers it listed. */
function runPeers(url: string, dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--json', 'peers', '--server', url, '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`p2prc peers exited ${code}: ${stderr}`));
      const line = stdout.split('\n').find((l) => l.includes('"event":"peers"'));
      resolve(line ? (JSON.parse(line) as { peers: unknown[] }).peers.length : 0);
    });
  });
}
