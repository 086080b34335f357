/**
 * The signal-scale comparison's output: the table (ours and PeerJS side by
 * side), its notes and the two target lines; and the --json object.
 */
import { cpus } from 'node:os';
import { table } from './report-tables.js';
import { SERVER_NAMES, OUR_SERVER_FLAGS } from './signal-servers.js';
import type { LoadFigures, ServerRun, SignalScaleResult } from './signal-scale.js';
import { r1, r2, r3 } from './stats.js';
import { SIGNAL_MEMORY_TARGET, SIGNAL_RATE_TARGET } from './targets.js';

/** Below this many cores busy in the flood a server was not the bottleneck (the load processes or the machine were). */
const SATURATED_CORES = 0.85;

export interface SignalTargets {
  rateRatio: number;
  ratePass: boolean;
  memoryRatio: number;
  memoryPass: boolean;
}

export function signalTargets(r: SignalScaleResult): SignalTargets {
  const rateRatio = r.ours.flood.perSec / r.peerjs.flood.perSec;
  const memoryRatio = r.ours.rssPerPeerKiB / r.peerjs.rssPerPeerKiB;
  return { rateRatio, ratePass: rateRatio >= SIGNAL_RATE_TARGET, memoryRatio, memoryPass: memoryRatio <= SIGNAL_MEMORY_TARGET };
}

const f0 = (n: number): string => n.toFixed(0);
const f1 = (n: number): string => n.toFixed(1);
const f2 = (n: number): string => n.toFixed(2);
const ms = (us: number): string => (us / 1000).toFixed(2);

export function signalScaleReport(r: SignalScaleResult): string[] {
  const { ours, peerjs, options: o } = r;
  const t = signalTargets(r);
  const row = (name: string, get: (s: ServerRun) => string, ratio?: (s: ServerRun) => number): string[] => [
    name,
    get(ours),
    get(peerjs),
    ratio ? f2(ratio(ours) / ratio(peerjs)) : '',
  ];
  const load = (s: ServerRun, p: 'flood' | 'paced'): LoadFigures => s[p];
  const out: string[] = [];
  out.push(
    `signal servers at scale: ${o.peers} peers on one server process each (ours, then PeerJS), load from ${o.clients} client processes; node ${process.version}, ${cpus().length} CPUs`,
  );
  out.push('');
  out.push(
    table(
      ['measure', SERVER_NAMES.ours, SERVER_NAMES.peerjs, 'ours / PeerJS'],
      [
        row(`register: fill of ${o.peers}, s (p50 / p99 ms)`, (s) => `${f1(s.fill.seconds)} (${f1(s.fill.p50Ms)} / ${f1(s.fill.p99Ms)})`, (s) => s.fill.seconds),
        row(`register: new peer, ${ours.probes.count} with all online, p50 / p99 ms`, (s) => `${f1(s.probes.p50Ms)} / ${f1(s.probes.p99Ms)}`, (s) => s.probes.p99Ms),
        row('bytes from the server per join', (s) => f0(s.bytesPerJoin)),
        row(`bytes to the crowd during the ${ours.probes.count} joins`, (s) => f0(s.probes.crowdBytesDuring)),
        row('server RSS after GC: empty -> full, MiB', (s) => `${f1(s.baseRssMiB)} -> ${f1(s.rssMiB)}`),
        row('memory per peer (RSS growth / peers), KiB', (s) => f2(s.rssPerPeerKiB), (s) => s.rssPerPeerKiB),
        row('  of which JS heap (heapUsed growth / peers), KiB', (s) => f2(s.heapPerPeerKiB), (s) => s.heapPerPeerKiB),
        row(`  marginal, ${ours.ramp[0]!.peers} -> ${o.peers} peers: RSS / heap, KiB`, (s) => `${f2(s.rssMarginalKiB)} / ${f2(s.heapMarginalKiB)}`, (s) => s.rssMarginalKiB),
        row(`flood (${o.window} in flight x ${o.clients}): signals relayed/s`, (s) => f0(load(s, 'flood').perSec), (s) => s.flood.perSec),
        row('  latency p50 / p99, ms', (s) => `${ms(s.flood.p50Us)} / ${ms(s.flood.p99Us)}`),
        row('  server CPU per signal, us', (s) => f1(s.flood.serverUsPerSignal), (s) => s.flood.serverUsPerSignal),
        row('  cores busy: server / load processes', (s) => `${f2(s.flood.serverCores)} / ${f2(s.flood.clientCores)}`),
        row('  server CPU in the kernel (system time)', (s) => `${f0(s.flood.serverSysShare * 100)} %`),
        row(`paced (${o.rate} signals/s): latency p50 / p99, ms`, (s) => `${ms(s.paced.p50Us)} / ${ms(s.paced.p99Us)}`, (s) => s.paced.p99Us),
        row('  cores busy: server / load processes', (s) => `${f2(s.paced.serverCores)} / ${f2(s.paced.clientCores)}`),
        row('1-minute load average at the start', (s) => f2(s.loadAtStart)),
        row('signals lost / unexpected frames', (s) => `${s.flood.lost + s.paced.lost} / ${Object.values(s.others).reduce((a, b) => a + b, 0)}`),
      ],
    ),
  );
  out.push(`ramp (peers: server RSS MiB after GC): ours ${ramp(ours)}; PeerJS ${ramp(peerjs)}`);
  if (ours.list) out.push(`p2prc peers (ours): listed ${ours.list.listed} in ${f0(ours.list.ms)} ms (pages of at most 100)`);
  out.push(`ours runs with ${OUR_SERVER_FLAGS.join(' ')}; PeerJS with concurrent_limit above the crowd. Latency: sent and received in the same load process.`);
  for (const s of [ours, peerjs]) {
    if (s.flood.serverCores < SATURATED_CORES) {
      out.push(`note: ${SERVER_NAMES[s.kind]} was busy ${f2(s.flood.serverCores)} cores in the flood: not the bottleneck (the load processes or the machine were); compare server CPU per signal.`);
    }
    if (Object.keys(s.others).length) out.push(`warning: ${SERVER_NAMES[s.kind]}'s load clients got ${JSON.stringify(s.others)}, first: ${s.firstOther}`);
  }
  out.push('');
  out.push(`target: ours >= ${SIGNAL_RATE_TARGET.toFixed(1)} x PeerJS signals relayed/s: ${r3(t.rateRatio).toFixed(3)} x -> ${t.ratePass ? 'PASS' : 'FAIL'}`);
  out.push(
    `target: ours memory per peer <= ${SIGNAL_MEMORY_TARGET.toFixed(1)} x PeerJS: ${r3(t.memoryRatio).toFixed(3)} x (${f2(ours.rssPerPeerKiB)} / ${f2(peerjs.rssPerPeerKiB)} KiB) -> ${t.memoryPass ? 'PASS' : 'FAIL'}`,
  );
  return out;
}

function ramp(s: ServerRun): string {
  return s.ramp.map((p) => `${p.peers}: ${f1(p.rssMiB)}`).join(', ');
}

function loadJson(l: LoadFigures): Record<string, number> {
  return {
    perSec: r1(l.perSec),
    p50Ms: r3(l.p50Us / 1000),
    p99Ms: r3(l.p99Us / 1000),
    samples: l.samples,
    lost: l.lost,
    serverCores: r2(l.serverCores),
    serverSysShare: r2(l.serverSysShare),
    serverUsPerSignal: r2(l.serverUsPerSignal),
    clientCores: r2(l.clientCores),
  };
}

function runJson(s: ServerRun): Record<string, unknown> {
  return {
    peers: s.peers,
    loadAtStart: r2(s.loadAtStart),
    fill: { seconds: r2(s.fill.seconds), p50Ms: r2(s.fill.p50Ms), p99Ms: r2(s.fill.p99Ms) },
    probes: { count: s.probes.count, p50Ms: r2(s.probes.p50Ms), p99Ms: r2(s.probes.p99Ms), maxMs: r2(s.probes.maxMs), crowdBytesDuring: s.probes.crowdBytesDuring },
    bytesPerJoin: r1(s.bytesPerJoin),
    ramp: s.ramp.map((p) => ({ peers: p.peers, rssMiB: r2(p.rssMiB), heapMiB: r2(p.heapMiB), seconds: r2(p.seconds) })),
    baseRssMiB: r2(s.baseRssMiB),
    rssMiB: r2(s.rssMiB),
    rssPerPeerKiB: r2(s.rssPerPeerKiB),
    heapPerPeerKiB: r2(s.heapPerPeerKiB),
    rssMarginalKiB: r2(s.rssMarginalKiB),
    heapMarginalKiB: r2(s.heapMarginalKiB),
    flood: loadJson(s.flood),
    paced: loadJson(s.paced),
    others: s.others,
    ...(s.list ? { list: { ms: r1(s.list.ms), listed: s.list.listed } } : {}),
  };
}

/** The --json object: `{ signalScale: { options, ours, peerjs, targets } }`. */
export function signalScaleJson(r: SignalScaleResult): Record<string, unknown> {
  const t = signalTargets(r);
  return {
    signalScale: {
      options: r.options,
      ourFlags: OUR_SERVER_FLAGS,
      ours: runJson(r.ours),
      peerjs: runJson(r.peerjs),
      targets: {
        rateRatio: r3(t.rateRatio),
        rateTarget: SIGNAL_RATE_TARGET,
        ratePass: t.ratePass,
        memoryRatio: r3(t.memoryRatio),
        memoryTarget: SIGNAL_MEMORY_TARGET,
        memoryPass: t.memoryPass,
      },
    },
  };
}
