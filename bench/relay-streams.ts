/**
 * The relay over TCP and TLS (issue #11) against the relay over UDP, in one run:
 *
 *   loopback  three tunnels through our relay (`p2prc server --turn-tls-port 0`),
 *             both peers --force-relay, with --relay-transport udp, tcp and tls;
 *             RUNS bulk transfers of MIB MiB each, alternating, after a warm-up.
 *             Target: TCP and TLS at least 0.8x UDP (median of the runs).
 *   lab       (root) the bench's lab (bench/lab/matrix.ts): h1a and h2a behind cone
 *             NATs on emulated links, 50 ms RTT with 0 % and 1 % loss, the same
 *             three relayed paths (5 s transfers), and the setup time (route + first
 *             byte) of fresh connectors at 50 ms. Target: setup over TCP/TLS at most
 *             1.5x the UDP-relayed setup (p50).
 *
 *   node dist/bench/relay-streams.js [--mib 64] [--runs 5] [--setup-runs 10] [--no-lab] [--json] [--out DIR]
 *
 * Writes bench/results/relay-streams-<timestamp>.json and relay-streams-latest.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MiB, ROOT, median, parseFlags, progress, transferTimeoutMs } from './common.js';
import { tcpBulk } from './raw-tcp.js';
import { startService } from './service.js';
import { Tunnel } from './tunnel.js';
import { runLabMatrix, type LabRow } from './lab/matrix.js';
import { labUnavailable } from '../test/lab/namespaces.js';
import { table } from '../src/cli/format.js';

const SECRET = 'bench-relay-streams';
const TRANSPORTS = ['udp', 'tcp', 'tls'] as const;
type Transport = (typeof TRANSPORTS)[number];
const BINDS: Record<Transport, [string, string]> = { udp: ['127.0.0.2', '127.0.0.3'], tcp: ['127.0.0.4', '127.0.0.5'], tls: ['127.0.0.6', '127.0.0.7'] };
const THROUGHPUT_TARGET = 0.8;
const SETUP_TARGET = 1.5;

interface Options {
  mib: number;
  runs: number;
  setupRuns: number;
  lab: boolean;
  json: boolean;
  outDir: string;
}

function parse(argv: string[]): Options {
  const o: Options = { mib: 64, runs: 5, setupRuns: 10, lab: true, json: false, outDir: join(ROOT, 'bench', 'results') };
  parseFlags(
    argv,
    {
      '--mib': (a) => (o.mib = a.whole()),
      '--runs': (a) => (o.runs = a.whole()),
      '--setup-runs': (a) => (o.setupRuns = a.whole()),
      '--no-lab': () => (o.lab = false),
      '--json': () => (o.json = true),
      '--out': (a) => (o.outDir = a.value()),
    },
    'node dist/bench/relay-streams.js [--mib N] [--runs N] [--setup-runs N] [--no-lab] [--json] [--out DIR]',
  );
  return o;
}

interface LoopbackRow {
  transport: Transport;
  route: string;
  runsMiBps: number[];
  medianMiBps: number;
  bestMiBps: number;
  ratioToUdp: number;
}

async function loopback(o: Options): Promise<LoopbackRow[]> {
  const root = mkdtempSync(join(tmpdir(), 'p2prc-relay-streams-'));
  const service = await startService();
  const tunnels = new Map<Transport, Tunnel>();
  try {
    for (const t of TRANSPORTS) {
      const tun = new Tunnel(`${t}/`);
      tunnels.set(t, tun);
      await tun.launch(service.port, root, ['--stun-port', '0', '--allow-private-peers', '--turn-tls-port', '0', '--secret', SECRET], {
        args: ['--force-relay', '--relay-transport', t, '--secret', SECRET],
        exposeBind: BINDS[t][0],
        connectBind: BINDS[t][1],
      });
      const r = tun.routeLine as { kind?: string; relayTransport?: string } | undefined;
      if (r?.kind !== 'relay' || (t !== 'udp' && r.relayTransport !== t)) throw new Error(`${t}: route ${tun.setup?.route} is not relayed over ${t}`);
    }
    const bytes = o.mib * MiB;
    const payload = randomBytes(MiB);
    const timeout = transferTimeoutMs(bytes, 2);
    for (const t of TRANSPORTS) await tcpBulk(tunnels.get(t)!.listenPort, Math.min(bytes, 16 * MiB), payload, timeout);
    const runs = new Map<Transport, number[]>(TRANSPORTS.map((t) => [t, []]));
    for (let i = 1; i <= o.runs; i++) {
      for (const t of TRANSPORTS) {
        const secs = await tcpBulk(tunnels.get(t)!.listenPort, bytes, payload, timeout);
        runs.get(t)!.push(o.mib / secs);
        progress(`loopback run ${i}/${o.runs}: relay over ${t} ${(o.mib / secs).toFixed(1)} MiB/s`);
      }
    }
    const udp = median(runs.get('udp')!);
    return TRANSPORTS.map((t) => {
      const xs = runs.get(t)!;
      return { transport: t, route: tunnels.get(t)!.setup?.route ?? '?', runsMiBps: xs.map((x) => Math.round(x * 10) / 10), medianMiBps: median(xs), bestMiBps: Math.max(...xs), ratioToUdp: median(xs) / udp };
    });
  } finally {
    for (const tun of tunnels.values()) await tun.stop();
    await service.close();
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  const started = new Date();
  progress(`relay over UDP, TCP and TLS: loopback ${o.runs} x ${o.mib} MiB each${o.lab ? `; lab at 50 ms RTT, 0 and 1 % loss, setup x ${o.setupRuns}` : ''}`);
  const lb = await loopback(o);
  let lab: LabRow[] = [];
  let labSkipped: string | undefined;
  if (o.lab) {
    labSkipped = labUnavailable() ?? (process.getuid?.() !== 0 ? 'needs root' : undefined);
    if (!labSkipped) {
      lab = await runLabMatrix({
        scenarios: [0, 1].map((lossPct) => ({ rttMs: 50, lossPct, rateMbit: null })),
        seconds: 5,
        setupRuns: o.setupRuns,
        setupRtts: [50],
        paths: ['tunnel-our-relay', 'tunnel-relay-tcp', 'tunnel-relay-tls'],
        setupPaths: ['tunnel-our-relay', 'tunnel-relay-tcp', 'tunnel-relay-tls'],
        progress,
      });
    }
  }
  const udpSetup = lab.find((r) => r.path === 'tunnel-our-relay' && r.setupP50Ms)?.setupP50Ms ?? null;
  const verdicts = [
    ...lb.filter((r) => r.transport !== 'udp').map((r) => `loopback throughput over ${r.transport.toUpperCase()}: ${r.ratioToUdp.toFixed(2)}x UDP (median of ${o.runs}) ${r.ratioToUdp >= THROUGHPUT_TARGET ? 'meets' : 'MISSES'} the ${THROUGHPUT_TARGET}x target`),
    ...lab
      .filter((r) => r.setupP50Ms && r.path !== 'tunnel-our-relay' && udpSetup)
      .map((r) => `lab setup at 50 ms over ${r.path === 'tunnel-relay-tcp' ? 'TCP' : 'TLS'}: p50 ${r.setupP50Ms!.toFixed(0)} ms = ${(r.setupP50Ms! / udpSetup!).toFixed(2)}x the UDP relay's ${udpSetup!.toFixed(0)} ms ${r.setupP50Ms! / udpSetup! <= SETUP_TARGET ? 'meets' : 'MISSES'} the ${SETUP_TARGET}x target`),
  ];
  const md = [
    `# Relay over UDP, TCP and TLS (${started.toISOString()})`,
    '',
    `Loopback: both peers --force-relay through one \`p2prc server\`, ${o.runs} x ${o.mib} MiB per transport, alternating.`,
    '',
    table(['relay transport', 'route', 'MiB/s median', 'best', 'runs', 'x UDP'], lb.map((r) => [r.transport, r.route, r.medianMiBps.toFixed(1), r.bestMiBps.toFixed(1), r.runsMiBps.join(' '), r.ratioToUdp.toFixed(2)])),
    '',
    ...(lab.length
      ? [
          'Lab (emulated links, h1a and h2a behind cone NATs, both peers --force-relay):',
          '',
          table(['path', 'RTT ms', 'loss %', 'MiB/s', 'setup p50 ms', 'setup p95 ms'], lab.map((r) => [r.path, String(r.rttMs), String(r.lossPct), r.mibPerSec ? r.mibPerSec.toFixed(2) : '-', r.setupP50Ms ? r.setupP50Ms.toFixed(0) : '-', r.setupP95Ms ? r.setupP95Ms.toFixed(0) : '-'])),
          '',
        ]
      : [`Lab rows skipped: ${labSkipped ?? 'off (--no-lab)'}`, '']),
    ...verdicts.map((v) => `- ${v}`),
    '',
  ].join('\n');
  mkdirSync(o.outDir, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-').replace(/-\d+Z$/, 'Z');
  const json = { bench: 'relay-streams', started: started.toISOString(), finished: new Date().toISOString(), options: o, loopback: lb, lab, labSkipped, verdicts };
  writeFileSync(join(o.outDir, `relay-streams-${stamp}.json`), JSON.stringify(json, null, 2) + '\n');
  writeFileSync(join(o.outDir, 'relay-streams-latest.md'), md);
  if (o.json) process.stdout.write(JSON.stringify(json) + '\n');
  else process.stdout.write(md);
}

main().catch((err: unknown) => {
  process.stderr.write(`relay-streams: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
