/**
 * The relayed comparison (issue #3): the relayed tunnel through our relay and
 * through coturn, measured in alternation, with each relay's CPU per GiB.
 */
import { BUSY_CORES, MiB, STEP, WARM_BYTES, progress, step, transferTimeoutMs } from './common.js';
import type { Options } from './options.js';
import { CpuMeter, mapDiff, threadCpuMs } from './cpu.js';
import { tcpBulk, tcpPingPong } from './raw-tcp.js';
import { RelayedTunnel, type RelayKind } from './relayed.js';
import { r2 } from './stats.js';
import { setupSamples } from './setup.js';
import { RELAY_TARGET } from './targets.js';

/**
 * Below this much relay CPU per GiB the bytes cannot have crossed the relay (each
 * GiB is about 2 x 16k datagrams in and out): the measurement is refused.
 */
export const RELAY_MIN_CPU_S_PER_GIB = 1;
/** The relayed transfers time out below this rate (each byte crosses the relay twice, so lower than direct). */
const RELAYED_FLOOR_MIBPS = 2;
/** Printed under the relayed table (and as `relayed.note` in --json): how to read its columns. */
export const RELAY_NOTE = [
  "each tunnel byte crosses the relay twice: both peers --force-relay on one relay (connector -> its allocation -> the exposer's allocation -> exposer)",
  'relay CPU s/GiB: utime+stime of the relay process per GiB of tunnel payload; relay cores busy: relay CPU / wall time; both over all runs',
];

export interface RelayRun {
  secs: number;
  /** CPU ms per process during the run (relay = the relay process). */
  cpuMs: Record<string, number>;
  /** CPU ms per thread of the relay process during the run. */
  threadMs: Record<string, number>;
}

export interface RelayFigures {
  bestMiBps: number;
  runsMiBps: number[];
  /** CPU s of the relay process per GiB of tunnel payload, over all measured runs. */
  relayCpuSPerGiB: number;
  /** CPU time of the relay process / wall time, over all measured runs. */
  relayCores: number;
  /** Threads of the relay process. */
  relayThreads: number;
  /** Cores busy per thread of the relay process ("comm/tid"), over all measured runs; idle threads left out. */
  relayCoresByThread: Record<string, number>;
  /** Cores busy per process over all measured runs: relay, (coturn's signal-server), expose, connect, bench. */
  coresByProcess: Record<string, number>;
  /** CPU ms of all those processes per MiB of tunnel payload, over all measured runs. */
  cpuMsPerMiB: number;
  route: string;
  /** Route setupMs + first byte of each `p2prc connect` started on this relay (RelayedTunnel.setupMs). */
  setupMs: number[];
}

export interface RelayComparison {
  mib: number;
  runs: number;
  ours: RelayFigures;
  /** Undefined when coturn is not installed. */
  coturn?: RelayFigures;
  ratio?: number;
  pass?: boolean;
}

export function relayFigures(rt: RelayedTunnel, mib: number, runs: RelayRun[]): RelayFigures {
  const rates = runs.map((r) => mib / r.secs);
  const wallMs = runs.reduce((a, r) => a + r.secs * 1000, 0);
  const sum = (pick: (r: RelayRun) => Record<string, number>): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const r of runs) for (const [k, v] of Object.entries(pick(r))) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const cores = (ms: Record<string, number>): Record<string, number> =>
    Object.fromEntries(
      Object.entries(ms)
        .map(([k, v]): [string, number] => [k, v / wallMs])
        .filter(([, c]) => c >= BUSY_CORES)
        .sort((x, y) => y[1] - x[1])
        .map(([k, c]) => [k, r2(c)]),
    );
  const byProcess = sum((r) => r.cpuMs);
  const relayMs = byProcess.relay ?? NaN;
  const gib = (mib * runs.length) / 1024;
  const allMs = Object.values(byProcess).reduce((a, b) => a + b, 0);
  return {
    bestMiBps: Math.max(...rates),
    runsMiBps: rates,
    relayCpuSPerGiB: relayMs / 1000 / gib,
    relayCores: relayMs / wallMs,
    relayThreads: rt.relayThreads,
    relayCoresByThread: cores(sum((r) => r.threadMs)),
    coresByProcess: cores(byProcess),
    cpuMsPerMiB: allMs / (mib * runs.length),
    route: rt.route,
    setupMs: rt.setupMs,
  };
}

/**
 * The tunnel with both peers on --force-relay, through our relay and through
 * coturn (unless `withCoturn` is false: not installed), measured in
 * alternation. `live` gets the tunnels as they are created,
 * so the caller can stop them whatever happens.
 */
export async function relayComparison(opts: Options, withCoturn: boolean, servicePort: number, root: string, payload: Buffer, live: RelayedTunnel[]): Promise<RelayComparison> {
  const bytes = Math.round(opts.relayMib * MiB);
  const mib = bytes / MiB;
  const warmBytes = Math.min(bytes, WARM_BYTES);
  const timeoutMs = transferTimeoutMs(bytes, RELAYED_FLOOR_MIBPS);
  const kinds: RelayKind[] = ['ours'];
  if (withCoturn) kinds.push('coturn');
  const rts: RelayedTunnel[] = [];
  for (const k of kinds) {
    step(k === 'ours' ? STEP.ourRelay : STEP.coturn, `starting: ${k === 'ours' ? 'p2prc server with its relay' : 'turnserver, p2prc server --no-relay'}, exposer, connector (both peers --force-relay)`);
    const rt = new RelayedTunnel(k);
    live.push(rt);
    rts.push(rt);
    await rt.start(servicePort, root);
    const first = await tcpPingPong(rt.tunnel.listenPort, 0, 1, opts.pingSize);
    rt.setupMs = await setupSamples(rt.tunnel, opts.setupRuns, first.ttfbMs, opts.pingSize, (r) => rt.checkRoute(r));
  }
  step(STEP.relayed, `${mib} MiB x ${opts.runs} runs through each relay, alternating; warm-up ${warmBytes / MiB} MiB through each`);
  for (const rt of rts) await tcpBulk(rt.tunnel.listenPort, warmBytes, payload, timeoutMs);

  const measure = rts.map((rt) => {
    const pid = (suffix: string): number | undefined => rt.tunnel.procs.find((p) => p.name.endsWith(suffix))?.pid;
    const pids: [string, number | undefined][] = [['relay', rt.relayPid], ['expose', pid('/expose')], ['connect', pid('/connect')]];
    if (rt.kind === 'coturn') pids.push(['signal-server', pid('/signal-server')]);
    return { rt, meter: new CpuMeter(pids), runs: [] as RelayRun[] };
  });
  for (let run = 1; run <= opts.runs; run++) {
    for (const m of measure) {
      const t0 = threadCpuMs(m.rt.relayPid);
      const a = m.meter.snapshot();
      const secs = await tcpBulk(m.rt.tunnel.listenPort, bytes, payload, timeoutMs);
      const b = m.meter.snapshot();
      const t1 = threadCpuMs(m.rt.relayPid);
      m.runs.push({ secs, cpuMs: CpuMeter.diff(a, b), threadMs: mapDiff(t0, t1) });
      progress(`run ${run}/${opts.runs}: ${m.rt.kind === 'ours' ? 'tunnel via our relay' : 'tunnel via coturn'} ${(mib / secs).toFixed(1)} MiB/s`);
    }
  }
  const ours = relayFigures(measure[0]!.rt, mib, measure[0]!.runs);
  const coturn = measure[1] ? relayFigures(measure[1].rt, mib, measure[1].runs) : undefined;
  for (const [name, f] of [['our relay', ours], ['coturn', coturn]] as const) {
    if (f && !(f.relayCpuSPerGiB >= RELAY_MIN_CPU_S_PER_GIB)) {
      throw new Error(`${name} used ${f.relayCpuSPerGiB.toFixed(2)} CPU s/GiB during the relayed runs: the tunnel (route ${f.route}) cannot have gone through it`);
    }
  }
  const ratio = coturn ? ours.bestMiBps / coturn.bestMiBps : undefined;
  return { mib, runs: opts.runs, ours, coturn, ratio, pass: ratio === undefined ? undefined : ratio >= RELAY_TARGET };
}
