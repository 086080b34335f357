/**
 * The bench's printed report: the throughput, latency, setup and relayed
 * tables, and the target lines.
 */
import { cpus } from 'node:os';
import { HOST, KiB } from './common.js';
import { DC_CHUNK } from './raw-dc.js';
import { RELAY_NOTE, type RelayFigures } from './relay-comparison.js';
import { r3, type Latency, type Throughput } from './stats.js';
import { LATENCY_TARGET, RELAY_TARGET, TARGET_RATIO } from './targets.js';
import type { Figures } from './report-json.js';
import { tunnelFloorUs } from './latency.js';
import { DEFAULT_SCTP_TUNING, describeSctp } from '../src/peer/sctp-settings.js';

/** Columns left-aligned before `rightFrom`, right-aligned from it; a dashed rule under the header. */
export function table(header: string[], rows: string[][], rightFrom = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i >= rightFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The printed report, as lines. */
export function reportTables(fig: Figures): string[] {
  const { opts, mib, loadAtStart, relayMode, rawSetupMs, setup, rc } = fig;
  const { tcp: tTcp, dc: tDc, tunnel: tTun } = fig.throughput;
  const { tcp: latTcp, dc: latDc, tunnel: latTunnel, tcpRelay: latRelay } = fig.latency;
  const { tunnel: firstTunnel, tcp: firstTcp } = fig.first;
  const ratio = tTun.bestMiBps / tDc.bestMiBps;
  const pass = ratio >= TARGET_RATIO;
  const f1 = (n: number): string => n.toFixed(1);
  const f2 = (n: number): string => n.toFixed(2);
  const rows = [
    ['raw TCP loopback', tTcp, 'net client -> net sink, same process'],
    ['raw data channel', tDc, `node-datachannel, 2 processes, ${DC_CHUNK / KiB} KiB messages`],
    ['tunnel (TCP over DC)', tTun, 'client -> connect -> DC -> expose -> sink'],
  ] as const;
  const out: string[] = [];
  out.push(
    `p2prc-nat bench: ${mib} MiB per run, best of ${opts.runs}; node ${process.version}, ${cpus().length} CPUs (load ${loadAtStart.toFixed(2)} at start); all on ${HOST}; SCTP ${describeSctp(opts.sctp ?? DEFAULT_SCTP_TUNING)}`,
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
    ['TCP echo via a relay process', latRelay],
    ['raw data channel echo', latDc],
    ['tunnel echo', latTunnel],
  ];
  out.push(
    table(
      [`latency (${opts.pings} x ${opts.pingSize} B RTT)`, 'mean us', 'p50 us', 'p99 us', 'x raw DC', 'x raw TCP'],
      latRows.map(([name, l]) => [name, f1(l.meanUs), f1(l.p50Us), f1(l.p99Us), f2(l.meanUs / latDc.meanUs), f2(l.meanUs / latTcp.meanUs)]),
    ),
  );
  const floorUs = tunnelFloorUs(fig.latency);
  out.push(`tunnel floor (raw data channel + TCP via a relay process, means): ${f1(floorUs)} us = ${f2(floorUs / latDc.meanUs)} x raw DC`);
  out.push('');
  out.push(
    table(
      ['setup', 'ms'],
      [
        ['raw data channel: PeerConnection to both channels open', f1(rawSetupMs)],
        ['p2prc server: spawn to listening (CLI start-up)', f1(setup.serverStartMs)],
        ['p2prc connect: spawn to listening', f1(setup.connectListenMs)],
        ['p2prc connect: spawn to route line', f1(setup.connectRouteMs)],
        ['  of which ICE/DTLS/SCTP (route setupMs)', String(setup.routeSetupMs)],
        ['first TCP connection via tunnel: time to first byte', f1(firstTunnel.ttfbMs)],
        ['first TCP connection, raw: time to first byte', f2(firstTcp.ttfbMs)],
      ],
    ),
  );
  out.push(`route: ${setup.route}; signal server relay: ${relayMode}`);
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
  const latRatio = latTunnel.meanUs / latDc.meanUs;
  out.push(`target: tunnel echo <= ${LATENCY_TARGET} x raw data channel echo (means): ${r3(latRatio).toFixed(3)} x -> ${latRatio <= LATENCY_TARGET ? 'PASS' : 'FAIL'}`);
  if (rc) {
    out.push(
      `target: our relay >= ${RELAY_TARGET.toFixed(1)} x coturn: ${rc.ratio === undefined ? 'n/a (no coturn) -> SKIP' : `${r3(rc.ratio).toFixed(3)} x -> ${rc.pass ? 'PASS' : 'FAIL'}`}`,
    );
  }
  return out;
}
