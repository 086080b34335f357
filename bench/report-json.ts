/**
 * The bench's result: every figure of a run in one object (`Figures`), and the
 * object printed by --json. Its shape is the bench's output contract: keep the
 * keys and their order.
 */
import { cpus } from 'node:os';
import type { Json } from './common.js';
import type { Options } from './options.js';
import { DC_CHUNK } from './raw-dc.js';
import type { FirstConnection, TunnelSetup } from './setup.js';
import type { Latencies } from './latency.js';
import { RELAY_NOTE, type RelayComparison, type RelayFigures } from './relay-comparison.js';
import { mapVals, r1, r2, r3, type Throughput } from './stats.js';
import { RELAY_TARGET, TARGET_RATIO } from './targets.js';

/** Everything measured in one run, as the reports need it. */
export interface Figures {
  opts: Options;
  mib: number;
  loadAtStart: number;
  /** How the main tunnel's signal server ran its relay (Tunnel.relayMode). */
  relayMode: string;
  throughput: { tcp: Throughput; dc: Throughput; tunnel: Throughput };
  latency: Latencies;
  /** The raw data channel's PeerConnection to both channels open. */
  rawSetupMs: number;
  setup: TunnelSetup;
  /** Route setupMs + first byte of each connector of the direct tunnel (setup.ts setupSamples). */
  setupSamplesMs: number[];
  first: FirstConnection;
  /** Undefined with --no-relay-bench. */
  rc?: RelayComparison;
  /** Start of the bench to the end of the measurements. */
  elapsedMs: number;
}

function relayFiguresJson(f: RelayFigures): Json {
  return {
    bestMiBps: r1(f.bestMiBps),
    runsMiBps: f.runsMiBps.map(r1),
    relayCpuSPerGiB: r2(f.relayCpuSPerGiB),
    relayCores: r2(f.relayCores),
    relayThreads: f.relayThreads,
    relayCoresByThread: f.relayCoresByThread,
    coresByProcess: f.coresByProcess,
    route: f.route,
    cpuMsPerMiB: r2(f.cpuMsPerMiB),
    setupSamplesMs: f.setupMs.map(r1),
  };
}

/** The --json object. */
export function resultJson(fig: Figures): Json {
  const { opts, mib, loadAtStart, relayMode, rawSetupMs, setup, rc } = fig;
  const { tcp: tTcp, dc: tDc, tunnel: tTun } = fig.throughput;
  const { tcp: latTcp, dc: latDc, tunnel: latTunnel } = fig.latency;
  const { tunnel: firstTunnel, tcp: firstTcp } = fig.first;
  const ratio = tTun.bestMiBps / tDc.bestMiBps;
  const pass = ratio >= TARGET_RATIO;
  const { elapsedMs } = fig;
  return {
    config: {
      mib,
      runs: opts.runs,
      pings: opts.pings,
      pingBytes: opts.pingSize,
      dcMessageBytes: DC_CHUNK,
      dcHighWater: opts.dcHigh,
      dcLowWater: opts.dcLow,
      node: process.version,
      cpus: cpus().length,
      loadAvg1mAtStart: r2(loadAtStart),
      signalServerRelay: relayMode,
    },
    throughputMiBps: {
      rawTcp: { best: r1(tTcp.bestMiBps), runs: tTcp.runsMiBps.map(r1) },
      rawDataChannel: { best: r1(tDc.bestMiBps), runs: tDc.runsMiBps.map(r1) },
      tunnel: { best: r1(tTun.bestMiBps), runs: tTun.runsMiBps.map(r1) },
    },
    cpuOfBestRun: {
      rawTcp: { msPerMiB: r2(tTcp.cpuMsPerMiB), cores: r2(tTcp.cores), byProcess: tTcp.coresByProcess },
      rawDataChannel: { msPerMiB: r2(tDc.cpuMsPerMiB), cores: r2(tDc.cores), byProcess: tDc.coresByProcess },
      tunnel: { msPerMiB: r2(tTun.cpuMsPerMiB), cores: r2(tTun.cores), byProcess: tTun.coresByProcess },
    },
    ratios: {
      tunnelVsRawDataChannel: r3(ratio),
      tunnelVsRawTcp: r3(tTun.bestMiBps / tTcp.bestMiBps),
      rawDataChannelVsRawTcp: r3(tDc.bestMiBps / tTcp.bestMiBps),
    },
    latencyUs: {
      rawTcp: mapVals(latTcp, r1),
      rawDataChannel: mapVals(latDc, r1),
      tunnel: mapVals(latTunnel, r1),
    },
    setupMs: {
      rawDataChannelOpen: r1(rawSetupMs),
      cliServerStart: r1(setup.serverStartMs),
      connectListening: r1(setup.connectListenMs),
      connectRoute: r1(setup.connectRouteMs),
      routeSetupMs: setup.routeSetupMs,
      firstConnectionTtfb: r1(firstTunnel.ttfbMs),
      rawTcpFirstConnectionTtfb: r3(firstTcp.ttfbMs),
      setupSamples: fig.setupSamplesMs.map(r1),
    },
    route: setup.route,
    target: { rule: `tunnel >= ${TARGET_RATIO} x raw data channel`, ratio: r3(ratio), pass },
    relayed: rc
      ? {
          mib: rc.mib,
          runs: rc.runs,
          note: RELAY_NOTE.join('; '),
          ourRelay: relayFiguresJson(rc.ours),
          coturn: rc.coturn ? relayFiguresJson(rc.coturn) : null,
          oursVsCoturn: rc.ratio === undefined ? null : r3(rc.ratio),
          target: { rule: `our relay >= ${RELAY_TARGET.toFixed(1)} x coturn`, ratio: rc.ratio === undefined ? null : r3(rc.ratio), pass: rc.pass ?? null },
        }
      : null,
    elapsedS: r1(elapsedMs / 1000),
  };
}
