/**
 * `npm run bench`: how much of a raw WebRTC data channel's speed survives the
 * TCP tunnel, in one run, all on 127.0.0.1.
 *
 *   raw TCP        a net client -> a net sink in this process (the ceiling of the OS)
 *   raw data chan  this process -> a child process, one node-datachannel
 *                  PeerConnection each, MAX_CHUNK (256 KiB) messages, the
 *                  tunnel's own, paced by bufferedAmount
 *   tunnel         this process (TCP client) -> `p2prc connect` -> data channel ->
 *                  `p2prc expose` -> the same net sink in this process; the signal
 *                  server, exposer and connector are separate processes, as in (2)
 *
 * Throughput is best of R runs of N MiB each (runs interleaved across the three
 * paths so drift hits all alike). Latency is K sequential 64-byte ping-pongs on
 * one connection per path (raw TCP echo, TCP through a relay process: the floor
 * of the tunnel's TCP legs, raw data channel echo, tunnel echo), the paths taking
 * turns in blocks. Setup is
 * measured from spawning `p2prc connect` to its route line, plus the time to
 * first byte of the first TCP connection through the tunnel.
 *
 * Relayed comparison (issue #3; on by default, --no-relay-bench skips it): the
 * same tunnel with both peers on --force-relay, once through our relay (`p2prc
 * server`) and once through coturn (`turnserver`, its defaults), best of R runs
 * of M MiB each, interleaved; the ratio ours/coturn (target >= 1.0) and each
 * relay process's CPU seconds per GiB of tunnel payload, from /proc.
 *
 * Signal scale (issues #8 item 2 and #9; its own mode, `--signal-scale N`): our
 * signal server and the PeerJS server side by side, N peers registered on each,
 * signals relayed between them by load-client processes, see signal-scale.ts.
 *
 * Lab rows (lab-rows.ts): the same paths over emulated links in network
 * namespaces, when the lab can run here; otherwise one line says why.
 *
 * Results: one row per (path, link) (rows.ts), written with every loopback
 * figure to <out>/<timestamp>.json, as a table to .md and as a chart to .svg,
 * and copied to latest.* (results-file.ts).
 *
 * Flags: --quick  --out DIR  --mib N  --runs R  --pings K  --setup-runs S  --json  --relay-mib M
 * --no-relay-bench  --signal-scale N [--signal-clients K --signal-seconds S --signal-window W
 * --signal-rate R] (and --dc-high-kib/--dc-low-kib for the raw channel's pacing, --sctp-*
 * for the SCTP settings of every PeerConnection of the run); options.ts. Progress goes to stderr, one numbered line per
 * step and per run (`[bench 8/11] relayed throughput: run 2/3: ...`), results to stdout.
 * Internal: `--child-dc` runs the answering side of the raw data channel,
 * `--child-tcp-relay PORT` the relay process of the latency floor.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import ndc from 'node-datachannel';
import { MiB, STEP, TCP_CHUNK, WARM_BYTES, WARM_PINGS, planSteps, progress, step, transferTimeoutMs } from './common.js';
import { parseOptions, type Options } from './options.js';
import { mkTemp, removeTemps } from './proc.js';
import { startService } from './service.js';
import { runChildDc } from './raw-dc-child.js';
import { DC_CHUNK, RawChannel } from './raw-dc.js';
import { Tunnel } from './tunnel.js';
import { firstConnection, setupSamples } from './setup.js';
import { measureThroughput } from './throughput.js';
import { measureLatency } from './latency.js';
import { haveCoturn, type RelayedTunnel } from './relayed.js';
import { relayComparison, type RelayComparison } from './relay-comparison.js';
import { throughput } from './stats.js';
import { resultJson, type Figures } from './report-json.js';
import { reportTables } from './report-tables.js';
import { signalScale } from './signal-scale.js';
import { signalScaleJson, signalScaleReport } from './signal-scale-report.js';
import { runLabRows } from './lab-rows.js';
import { loopbackRows } from './loopback-rows.js';
import { machineInfo, writeResults } from './results-file.js';
import type { BenchResults } from './rows.js';
import { TcpRelay, runTcpRelayChild } from './tcp-relay.js';
import { DEFAULT_SCTP_TUNING, describeSctp } from '../src/peer/sctp-settings.js';
import { sctpArgs } from '../src/cli/options.js';

/** The direct paths' transfers time out below this rate (loopback does 50+ MiB/s even under load). */
const DIRECT_FLOOR_MIBPS = 5;

async function main(opts: Options): Promise<void> {
  if (opts.signalScale !== undefined) return scaleMain(opts.signalScale, opts);
  const startedAt = new Date();
  const withCoturn = opts.relayBench && haveCoturn();
  if (opts.relayBench && !withCoturn) progress('warning: coturn (turnserver) is not installed: the relayed comparison has our relay only');
  planSteps([
    STEP.rawDc, STEP.tunnel, STEP.setup, STEP.throughput, STEP.latency,
    ...(opts.relayBench ? [STEP.ourRelay, ...(withCoturn ? [STEP.coturn] : []), STEP.relayed] : []),
    STEP.stop, STEP.lab, STEP.results,
  ]);
  const started = performance.now();
  try {
    const fig = await loopback(opts, withCoturn);
    step(STEP.lab, opts.quick ? 'the quick set of emulated links' : 'emulated links (network namespaces)');
    const lab = await runLabRows({ quick: opts.quick, mib: opts.mib, runs: opts.runs, setupRuns: opts.setupRuns, progress });
    if (lab.skipped) progress(lab.skipped);

    step(STEP.results, `writing the results files to ${opts.outDir}`);
    const loop = loopbackRows(fig);
    const results: BenchResults = {
      machine: machineInfo(),
      started: startedAt.toISOString(),
      finished: new Date().toISOString(),
      loadAtStart: fig.loadAtStart,
      // All but the output directory (where the file is anyway: a path of this machine).
      options: Object.fromEntries(Object.entries(opts).filter(([k]) => k !== 'outDir')),
      rows: [...loop.rows, ...lab.rows],
      labSkipped: lab.skipped ?? null,
      notes: loop.notes,
      loopback: resultJson(fig),
    };
    const { files, markdown } = writeResults(opts.outDir, results);
    progress(`${files.json} (and .md, .svg; latest.* the same)`);
    if (opts.json) {
      process.stdout.write(JSON.stringify({ ...(results.loopback as object), rows: results.rows, labSkipped: results.labSkipped, notes: results.notes, files }) + '\n');
    } else {
      process.stdout.write(reportTables(fig).join('\n') + '\n\n' + markdown);
    }
  } finally {
    await removeTemps().catch(() => undefined);
    progress(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** The loopback measurements (every path on 127.x); its processes are stopped before this returns. */
async function loopback(opts: Options, withCoturn: boolean): Promise<Figures> {
  const bytes = Math.round(opts.mib * MiB);
  const mib = bytes / MiB;
  const warmBytes = Math.min(bytes, WARM_BYTES);
  const timeoutMs = transferTimeoutMs(bytes, DIRECT_FLOOR_MIBPS);
  const warmPings = Math.min(WARM_PINGS, opts.pings);
  const tcpPayload = randomBytes(TCP_CHUNK);
  const dcPayload = tcpPayload.subarray(0, DC_CHUNK);

  const root = mkTemp('p2prc-bench-');
  let service: Awaited<ReturnType<typeof startService>> | undefined;
  let raw: RawChannel | undefined;
  let relay: TcpRelay | undefined;
  const tunnel = new Tunnel('', sctpArgs(opts.sctp));
  const relayed: RelayedTunnel[] = [];
  const started = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  try {
    if (loadAtStart > cpus().length / 2) {
      progress(`warning: 1-minute load average is ${loadAtStart.toFixed(2)} on ${cpus().length} CPUs; figures will be noisy`);
    }
    progress(`${mib} MiB x ${opts.runs} runs per path, ${opts.pings} pings of ${opts.pingSize} B; node ${process.version}, ${cpus().length} CPUs; SCTP ${describeSctp(opts.sctp ?? DEFAULT_SCTP_TUNING)}`);
    service = await startService();
    relay = await TcpRelay.start(service.port);

    step(STEP.rawDc, 'starting the answering side (child process)');
    raw = await RawChannel.start(opts.dcHigh, opts.dcLow, opts.sctp);
    progress(`open in ${raw.setupMs.toFixed(0)} ms`);

    step(STEP.tunnel, 'starting signal server, exposer, connector (3 processes)');
    await tunnel.start(service.port, root, opts.relay);
    const setup = tunnel.setup!;
    step(STEP.setup, `the first connection through the tunnel, then ${opts.setupRuns - 1} more p2prc connect, one at a time`);
    const first = await firstConnection(tunnel.listenPort, service.port, opts.pingSize);
    const setupSamplesMs = await setupSamples(tunnel, opts.setupRuns, first.tunnel.ttfbMs, opts.pingSize);

    step(STEP.throughput, `${mib} MiB x ${opts.runs} runs per path (raw TCP, raw data channel, tunnel), alternating`);
    const runs = await measureThroughput(service.port, raw, tunnel, { bytes, warmBytes, runs: opts.runs, timeoutMs, tcpPayload, dcPayload });
    step(STEP.latency, 'raw TCP echo, TCP via a relay process, raw data channel echo, tunnel echo, in blocks taking turns');
    const lat = await measureLatency({ service: service.port, tcpRelay: relay.port, tunnel: tunnel.listenPort }, raw, warmPings, opts.pings, opts.pingSize);

    let rc: RelayComparison | undefined;
    if (opts.relayBench) rc = await relayComparison(opts, withCoturn, service.port, root, tcpPayload, relayed);

    return {
      opts,
      mib,
      loadAtStart,
      relayMode: tunnel.relayMode,
      throughput: { tcp: throughput(mib, runs.tcp), dc: throughput(mib, runs.dc), tunnel: throughput(mib, runs.tunnel) },
      latency: lat,
      rawSetupMs: raw.setupMs,
      setup,
      setupSamplesMs,
      first,
      rc,
      elapsedMs: performance.now() - started,
    };
  } finally {
    step(STEP.stop, 'raw channel, tunnels, relays, service');
    await raw?.close().catch(() => undefined);
    await relay?.close().catch(() => undefined);
    await tunnel.stop().catch(() => undefined);
    await Promise.all(relayed.map((rt) => rt.stop().catch(() => undefined)));
    await service?.close().catch(() => undefined);
    ndc.cleanup();
  }
}

async function scaleMain(n: number, opts: Options): Promise<void> {
  const started = performance.now();
  try {
    const o = { peers: n, clients: opts.signalClients, seconds: opts.signalSeconds, window: opts.signalWindow, rate: opts.signalRate };
    const r = await signalScale(o, mkTemp('p2prc-bench-scale-'));
    process.stdout.write(opts.json ? JSON.stringify(signalScaleJson(r)) + '\n' : signalScaleReport(r).join('\n') + '\n');
  } finally {
    await removeTemps().catch(() => undefined);
    progress(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

let opts: Options;
try {
  opts = parseOptions(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exit(1);
}
if (opts.childDc) {
  runChildDc(opts.sctp);
} else if (opts.childTcpRelay !== undefined) {
  runTcpRelayChild(opts.childTcpRelay);
} else {
  // The harness kills every child and removes every temp dir on exit, whatever the exit.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      process.stderr.write(`[bench] ${sig}: stopping children\n`);
      process.exit(130);
    });
  }
  main(opts).then(
    () => process.exit(0),
    (err: Error) => {
      process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
      process.exit(1);
    },
  );
}
