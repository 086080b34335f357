/**
 * `npm run bench`: how much of a raw WebRTC data channel's speed survives the
 * TCP tunnel, in one run, all on 127.0.0.1.
 *
 *   raw TCP        a net client -> a net sink in this process (the ceiling of the OS)
 *   raw data chan  this process -> a child process, one node-datachannel
 *                  PeerConnection each, 64 KiB messages paced by bufferedAmount
 *   tunnel         this process (TCP client) -> `p2prc connect` -> data channel ->
 *                  `p2prc expose` -> the same net sink in this process; the signal
 *                  server, exposer and connector are separate processes, as in (2)
 *
 * Throughput is best of R runs of N MiB each (runs interleaved across the three
 * paths so drift hits all alike). Latency is K sequential 64-byte ping-pongs on
 * one connection (raw TCP echo, raw data channel echo, tunnel echo). Setup is
 * measured from spawning `p2prc connect` to its route line, plus the time to
 * first byte of the first TCP connection through the tunnel.
 *
 * Relayed comparison (issue #3; on by default, --no-relay-bench skips it): the
 * same tunnel with both peers on --force-relay, once through our relay (`p2prc
 * server`) and once through coturn (`turnserver`, its defaults), best of R runs
 * of M MiB each, interleaved; the ratio ours/coturn (target >= 1.0) and each
 * relay process's CPU seconds per GiB of tunnel payload, from /proc.
 *
 * Flags: --mib N  --runs R  --pings K  --json  --relay-mib M  --no-relay-bench
 * (and --dc-high-kib/--dc-low-kib for the raw channel's pacing). Progress goes
 * to stderr, results to stdout.
 * Internal: `--child-dc` runs the answering side of the raw data channel.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import ndc from 'node-datachannel';
import { HOST, KiB, MiB, TCP_CHUNK, progress, type Json } from './common.js';
import { parseOptions } from './options.js';
import { killEverythingSync, mkTemp, tempDirs } from './proc.js';
import { CpuMeter } from './cpu.js';
import { startService } from './service.js';
import { tcpBulk, tcpPingPong } from './raw-tcp.js';
import { runChildDc } from './raw-dc-child.js';
import { DC_CHUNK, RawChannel } from './raw-dc.js';
import { Tunnel } from './tunnel.js';
import type { RelayedTunnel } from './relayed.js';
import { RELAY_NOTE, relayComparison, type RelayComparison, type RelayFigures } from './relay-comparison.js';
import { latency, mapVals, r1, r2, r3, throughput, type Latency, type Run, type Throughput } from './stats.js';
import { RELAY_TARGET, TARGET_RATIO } from './targets.js';

function table(header: string[], rows: string[][], rightFrom = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i >= rightFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
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
  };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const bytes = Math.round(opts.mib * MiB);
  const mib = bytes / MiB;
  const warmBytes = Math.min(bytes, 16 * MiB);
  // Generous: even 5 MiB/s finishes; a stall fails the run instead of hanging.
  const timeoutMs = 30_000 + (bytes / (5 * MiB)) * 1000;
  const warmPings = Math.min(100, opts.pings);
  const tcpPayload = randomBytes(TCP_CHUNK);
  const dcPayload = tcpPayload.subarray(0, DC_CHUNK);

  const root = mkTemp('p2prc-bench-');
  let service: Awaited<ReturnType<typeof startService>> | undefined;
  let raw: RawChannel | undefined;
  const tunnel = new Tunnel();
  const relayed: RelayedTunnel[] = [];
  const started = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  try {
    if (loadAtStart > cpus().length / 2) {
      progress(`warning: 1-minute load average is ${loadAtStart.toFixed(2)} on ${cpus().length} CPUs; figures will be noisy`);
    }
    progress(`${mib} MiB x ${opts.runs} runs per path, ${opts.pings} pings of ${opts.pingSize} B; node ${process.version}, ${cpus().length} CPUs`);
    service = await startService();

    progress('starting raw data channel (child process)');
    raw = await RawChannel.start(opts.dcHigh, opts.dcLow);
    progress(`raw data channel open in ${raw.setupMs.toFixed(0)} ms`);

    progress('starting tunnel: signal server, exposer, connector (3 processes)');
    await tunnel.start(service.port, root, opts.relay);
    const setup = tunnel.setup!;

    // First TCP connection through the tunnel: a new data channel, the exposer's TCP connect, one echo.
    const firstTunnel = await tcpPingPong(tunnel.listenPort, 0, 1, opts.pingSize);
    const firstTcp = await tcpPingPong(service.port, 0, 1, opts.pingSize);
    progress(`first connection through the tunnel: first byte after ${firstTunnel.ttfbMs.toFixed(1)} ms (raw TCP ${firstTcp.ttfbMs.toFixed(2)} ms)`);

    // Warm-up (JIT, socket buffers, SCTP congestion window): not measured.
    progress(`warm-up: ${warmBytes / MiB} MiB on each path`);
    await tcpBulk(service.port, warmBytes, tcpPayload, timeoutMs);
    await raw.bulkSend(warmBytes, dcPayload, timeoutMs);
    await tcpBulk(tunnel.listenPort, warmBytes, tcpPayload, timeoutMs);

    const meter = new CpuMeter([['child-dc', raw.proc.child.pid], ...tunnel.procs.map((p): [string, number | undefined] => [p.name, p.child.pid])]);
    const measured = async (fn: () => Promise<number>): Promise<Run> => {
      const a = meter.snapshot();
      const secs = await fn();
      return { secs, cpuMs: CpuMeter.diff(a, meter.snapshot()) };
    };
    const runs = { tcp: [] as Run[], dc: [] as Run[], tunnel: [] as Run[] };
    for (let run = 1; run <= opts.runs; run++) {
      const a = await measured(() => tcpBulk(service!.port, bytes, tcpPayload, timeoutMs));
      runs.tcp.push(a);
      const b = await measured(() => raw!.bulkSend(bytes, dcPayload, timeoutMs));
      runs.dc.push(b);
      const c = await measured(() => tcpBulk(tunnel.listenPort, bytes, tcpPayload, timeoutMs));
      runs.tunnel.push(c);
      progress(
        `run ${run}/${opts.runs}: raw TCP ${(mib / a.secs).toFixed(1)}, raw data channel ${(mib / b.secs).toFixed(1)}, tunnel ${(mib / c.secs).toFixed(1)} MiB/s`,
      );
    }

    progress(`latency: ${opts.pings} sequential ${opts.pingSize}-byte ping-pongs per path`);
    const latTcp = latency((await tcpPingPong(service.port, warmPings, opts.pings, opts.pingSize)).rttsUs);
    const latDc = latency(await raw.pingPong(warmPings, opts.pings, opts.pingSize));
    const latTunnel = latency((await tcpPingPong(tunnel.listenPort, warmPings, opts.pings, opts.pingSize)).rttsUs);

    let rc: RelayComparison | undefined;
    if (opts.relayBench) {
      progress(`relayed comparison: ${opts.relayMib} MiB x ${opts.runs} runs through our relay and through coturn`);
      rc = await relayComparison(opts, service.port, root, tcpPayload, relayed);
    }

    const tTcp = throughput(mib, runs.tcp);
    const tDc = throughput(mib, runs.dc);
    const tTun = throughput(mib, runs.tunnel);
    const ratio = tTun.bestMiBps / tDc.bestMiBps;
    const pass = ratio >= TARGET_RATIO;

    const result = {
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
        signalServerRelay: tunnel.relayMode,
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
        rawDataChannelOpen: r1(raw.setupMs),
        cliServerStart: r1(setup.serverStartMs),
        connectListening: r1(setup.connectListenMs),
        connectRoute: r1(setup.connectRouteMs),
        routeSetupMs: setup.routeSetupMs,
        firstConnectionTtfb: r1(firstTunnel.ttfbMs),
        rawTcpFirstConnectionTtfb: r3(firstTcp.ttfbMs),
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
      elapsedS: r1((performance.now() - started) / 1000),
    };

    if (opts.json) {
      process.stdout.write(JSON.stringify(result) + '\n');
    } else {
      const f1 = (n: number): string => n.toFixed(1);
      const f2 = (n: number): string => n.toFixed(2);
      const rows = [
        ['raw TCP loopback', tTcp, 'net client -> net sink, same process'],
        ['raw data channel', tDc, `node-datachannel, 2 processes, ${DC_CHUNK / KiB} KiB messages`],
        ['tunnel (TCP over DC)', tTun, 'client -> connect -> DC -> expose -> sink'],
      ] as const;
      const out: string[] = [];
      out.push(
        `p2prc-nat bench: ${mib} MiB per run, best of ${opts.runs}; node ${process.version}, ${cpus().length} CPUs (load ${loadAtStart.toFixed(2)} at start); all on ${HOST}`,
      );
      out.push('');
      out.push(
        table(
          ['throughput', 'MiB/s', 'x raw DC', 'x raw TCP', 'CPU ms/MiB', 'cores', 'runs (MiB/s)'],
          rows.map(([name, t]) => [
            name,
            f1(t.bestMiBps),
            f2(t.bestMiBps / tDc.bestMiBps),
            f2(t.bestMiBps / tTcp.bestMiBps),
            f2(t.cpuMsPerMiB),
            f2(t.cores),
            t.runsMiBps.map(f1).join(' '),
          ]),
          1,
        ),
      );
      const split = (t: Throughput): string =>
        Object.entries(t.coresByProcess)
          .map(([k, v]) => `${k} ${v.toFixed(2)}`)
          .join(', ');
      out.push(`cores busy in the best run, by process: raw DC: ${split(tDc)}; tunnel: ${split(tTun)}`);
      out.push('');
      const latRows: [string, Latency][] = [
        ['raw TCP echo', latTcp],
        ['raw data channel echo', latDc],
        ['tunnel echo', latTunnel],
      ];
      out.push(
        table(
          [`latency (${opts.pings} x ${opts.pingSize} B RTT)`, 'mean us', 'p50 us', 'p99 us', 'x raw DC', 'x raw TCP'],
          latRows.map(([name, l]) => [name, f1(l.meanUs), f1(l.p50Us), f1(l.p99Us), f2(l.meanUs / latDc.meanUs), f2(l.meanUs / latTcp.meanUs)]),
        ),
      );
      out.push('');
      out.push(
        table(
          ['setup', 'ms'],
          [
            ['raw data channel: PeerConnection to both channels open', f1(raw.setupMs)],
            ['p2prc server: spawn to listening (CLI start-up)', f1(setup.serverStartMs)],
            ['p2prc connect: spawn to listening', f1(setup.connectListenMs)],
            ['p2prc connect: spawn to route line', f1(setup.connectRouteMs)],
            ['  of which ICE/DTLS/SCTP (route setupMs)', String(setup.routeSetupMs)],
            ['first TCP connection via tunnel: time to first byte', f1(firstTunnel.ttfbMs)],
            ['first TCP connection, raw: time to first byte', f2(firstTcp.ttfbMs)],
          ],
        ),
      );
      out.push(`route: ${setup.route}; signal server relay: ${tunnel.relayMode}`);
      if (rc) {
        const rows: [string, RelayFigures | undefined][] = [
          ['tunnel via our relay', rc.ours],
          ['tunnel via coturn', rc.coturn],
        ];
        const cot = rc.coturn;
        out.push('');
        out.push(
          table(
            [`relayed (${rc.mib} MiB, best of ${rc.runs})`, 'MiB/s', 'x coturn', 'relay CPU s/GiB', 'relay cores busy', 'route'],
            rows.map(([name, f]) =>
              f
                ? [name, f1(f.bestMiBps), cot ? f2(f.bestMiBps / cot.bestMiBps) : 'n/a', f2(f.relayCpuSPerGiB), f2(f.relayCores), f.route]
                : [name, 'n/a', 'n/a', 'n/a', 'n/a', 'coturn (turnserver) not installed'],
            ),
          ),
        );
        out.push(...RELAY_NOTE);
        const detail = (label: string, f: RelayFigures | undefined, bin: string): void => {
          if (!f) return;
          const list = (o: Record<string, number>): string =>
            Object.entries(o)
              .map(([k, v]) => `${k} ${v.toFixed(2)}`)
              .join(', ');
          out.push(
            `${label}: runs ${f.runsMiBps.map(f1).join(' ')} MiB/s; ${bin} ${f.relayThreads} threads, busy: ${list(f.relayCoresByThread)}; cores by process: ${list(f.coresByProcess)}`,
          );
        };
        detail('our relay', rc.ours, 'p2prc server (node),');
        detail('coturn', rc.coturn, 'turnserver (default: a UDP relay thread per CPU core),');
      }
      out.push('');
      out.push(`target: tunnel >= ${TARGET_RATIO} x raw data channel: ${r3(ratio).toFixed(3)} x -> ${pass ? 'PASS' : 'FAIL'}`);
      if (rc) {
        out.push(
          `target: our relay >= ${RELAY_TARGET.toFixed(1)} x coturn: ${rc.ratio === undefined ? 'n/a (no coturn) -> SKIP' : `${r3(rc.ratio).toFixed(3)} x -> ${rc.pass ? 'PASS' : 'FAIL'}`}`,
        );
      }
      process.stdout.write(out.join('\n') + '\n');
    }
  } finally {
    progress('cleaning up');
    await raw?.close().catch(() => undefined);
    await tunnel.stop().catch(() => undefined);
    await Promise.all(relayed.map((rt) => rt.stop().catch(() => undefined)));
    await service?.close().catch(() => undefined);
    ndc.cleanup();
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
    tempDirs.clear();
    progress(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

if (process.argv.includes('--child-dc')) {
  runChildDc();
} else {
  process.on('exit', killEverythingSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      process.stderr.write(`[bench] ${sig}: stopping children\n`);
      killEverythingSync();
      process.exit(130);
    });
  }
  main().then(
    () => process.exit(0),
    (err: Error) => {
      process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
      process.exit(1);
    },
  );
}
