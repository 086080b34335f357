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
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import ndc from 'node-datachannel';
import { CLI, HOST, KiB, MiB, ROOT, TCP_CHUNK, progress, type Json } from './common.js';
import { parseOptions, type Options } from './options.js';
import { Proc, alive, killEverythingSync, mkTemp, tempDirs } from './proc.js';
import { CpuMeter, mapDiff, threadCpuMs } from './cpu.js';
import { startService } from './service.js';
import { tcpBulk, tcpPingPong } from './raw-tcp.js';
import { runChildDc } from './raw-dc-child.js';
import { DC_CHUNK, RawChannel } from './raw-dc.js';

const TARGET_RATIO = 0.9;

// ---------------------------------------------------------------- tunnel (CLI processes)

interface TunnelSetup {
  /** Spawn of `server` to its listening line: the CLI's own start-up cost. */
  serverStartMs: number;
  /** Spawn of `connect` to its listening line. */
  connectListenMs: number;
  /** Spawn of `connect` to its route line (peer connection up). */
  connectRouteMs: number;
  /** setupMs on the route line (session creation to ICE connected, inside the connector). */
  routeSetupMs: number;
  route: string;
}

type Endpoint = { type?: string; address?: string; port?: number };
interface RouteLine {
  kind?: string;
  local?: Endpoint;
  remote?: Endpoint;
  setupMs?: number;
}

/** Signal server, exposer and connector as CLI processes; the bench's TCP client talks to the connector. */
class Tunnel {
  readonly procs: Proc[] = [];
  /** Names the processes and their data dirs: '' for the main tunnel, 'ours/' and 'coturn/' for the relayed ones. */
  private readonly tag: string;
  server?: Proc;
  listenPort = 0;
  setup?: TunnelSetup;
  routeLine?: RouteLine;

  constructor(tag = '') {
    this.tag = tag;
  }

  private cli(name: string, args: string[]): Proc {
    const p = new Proc(this.tag + name, [CLI, '--json', '--log-level', process.env.BENCH_LOG_LEVEL ?? 'warn', ...args]);
    this.procs.push(p);
    return p;
  }

  /** How the server's relay was configured: off, on (ephemeral port), or n/a (this CLI has none). */
  relayMode: 'off' | 'on' | 'n/a' = 'n/a';

  /** The main tunnel: no ICE servers (or, with --relay, our relay on an ephemeral port), direct host pair. */
  async start(servicePort: number, root: string, relay: boolean): Promise<void> {
    // Newer CLIs run a STUN/TURN relay in `server` (fixed UDP port 3478 by default):
    // turn it off, or at least move it to an ephemeral port so runs cannot collide.
    const help = spawnSync(process.execPath, [CLI, 'server', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 15_000 }).stdout ?? '';
    const relayArgs: string[] = [];
    if (relay && help.includes('--stun-port')) {
      relayArgs.push('--stun-port', '0');
      this.relayMode = 'on';
    } else if (!relay && help.includes('--no-relay')) {
      relayArgs.push('--no-relay');
      this.relayMode = 'off';
    }
    await this.launch(servicePort, root, relayArgs, { args: [], exposeBind: HOST, connectBind: HOST });
  }

  /**
   * Server with `serverArgs`, then exposer and connector with `peer.args`, their ICE
   * sockets on the given addresses; resolves on the connector's route line.
   */
  async launch(servicePort: number, root: string, serverArgs: string[], peer: { args: string[]; exposeBind: string; connectBind: string }): Promise<void> {
    const dir = (d: string): string => join(root, this.tag.replace(/\W/g, '') + d);
    const label = this.tag ? `${this.tag.replace(/\W/g, '')}: ` : '';
    const server = this.cli('signal-server', ['server', '--host', HOST, '--port', '0', ...serverArgs, '--data-dir', dir('server'), '--name', 'bench-signal']);
    this.server = server;
    const sl = await server.waitFor((o) => o.event === 'listening', 'listening line');
    const serverStartMs = sl.at - server.spawnedAt;
    const url = `ws://${HOST}:${Number(sl.obj.port)}`;
    progress(`${label}signal server ${url} (start-up ${serverStartMs.toFixed(0)} ms, ${this.tag ? serverArgs.join(' ') : `relay ${this.relayMode}`})`);

    const expose = this.cli('expose', [
      'expose', `svc=${HOST}:${servicePort}`, '--name', 'bench-alice', '--server', url, '--data-dir', dir('alice'), '--bind', peer.exposeBind, ...peer.args,
    ]);
    await expose.waitFor((o) => o.event === 'registered', 'registered line');
    progress(`${label}exposer registered as bench-alice`);

    const connect = this.cli('connect', [
      'connect', 'bench-alice/svc', '--listen', `${HOST}:0`, '--name', 'bench-bob', '--server', url, '--data-dir', dir('bob'), '--bind', peer.connectBind, ...peer.args,
    ]);
    connect.failOn(/no connection yet|error/i);
    const cl = await connect.waitFor((o) => o.event === 'listening', 'listening line');
    this.listenPort = Number(cl.obj.port);
    const rl = await connect.waitFor((o) => o.event === 'route', 'route line');
    const r = rl.obj as RouteLine;
    this.routeLine = r;
    const ep = (c?: Endpoint): string => `${c?.type ?? '?'} ${c?.address ?? '?'}:${c?.port ?? '?'}`;
    this.setup = {
      serverStartMs,
      connectListenMs: cl.at - connect.spawnedAt,
      connectRouteMs: rl.at - connect.spawnedAt,
      routeSetupMs: Number(r.setupMs),
      route: `${r.kind ?? '?'} ${ep(r.local)} <-> ${ep(r.remote)}`,
    };
    for (const addr of [r.local?.address, r.remote?.address]) {
      if (!addr?.startsWith('127.')) throw new Error(`${label}tunnel route left loopback: ${this.setup.route}`);
    }
    progress(`${label}connector listening on ${HOST}:${this.listenPort}, route ${this.setup.route} after ${this.setup.connectRouteMs.toFixed(0)} ms`);
  }

  async stop(): Promise<void> {
    // Peers first, so they leave the server cleanly; then the server.
    await Promise.all(this.procs.filter((p) => p !== this.server).map((p) => p.stop()));
    await Promise.all(this.procs.map((p) => p.stop()));
  }
}

// ---------------------------------------------------------------- relayed tunnels (our relay, coturn)

/** Both peers of the relayed tunnels present this: it signs their TURN REST credentials, for both relays. */
const RELAY_SECRET = 'bench-relay-secret';
/** Relay port ranges: disjoint, so the route line tells which relay carried the tunnel. */
const RELAY_PORTS: Record<RelayKind, { min: number; max: number }> = {
  ours: { min: 50000, max: 50999 },
  coturn: { min: 51000, max: 51999 },
};
const RELAY_TARGET = 1.0;
/** ICE addresses of the relayed tunnels' peers: not the relay's (see RelayedTunnel.start). */
const RELAY_PEER_BIND = { expose: '127.0.0.2', connect: '127.0.0.3' };
/**
 * Below this much relay CPU per GiB the bytes cannot have crossed the relay (each
 * GiB is about 2 x 16k datagrams in and out): the measurement is refused.
 */
const RELAY_MIN_CPU_S_PER_GIB = 1;
const RELAY_NOTE = [
  "each tunnel byte crosses the relay twice: both peers --force-relay on one relay (connector -> its allocation -> the exposer's allocation -> exposer)",
  'relay CPU s/GiB: utime+stime of the relay process per GiB of tunnel payload; relay cores busy: relay CPU / wall time; both over all runs',
];

type RelayKind = 'ours' | 'coturn';

/** A free UDP port on HOST (for coturn, which cannot be told to pick one). */
function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, HOST, () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

/** Whether coturn's `turnserver` can be run here (Debian: apt-get install coturn). */
function haveCoturn(): boolean {
  const r = spawnSync('turnserver', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return !r.error && r.status === 0;
}

/**
 * The same tunnel (exposer + connector, both --force-relay) through a relay:
 *   ours    `p2prc server` with its built-in STUN/TURN relay, relay ports 50000-50999
 *   coturn  `turnserver` with its defaults (one UDP relay thread per core), relay
 *           ports 51000-51999, and a `p2prc server --no-relay --ice-server turn:...`
 * Both peers allocate on the same relay, so every datagram crosses it twice:
 * connector -> its allocation -> the exposer's allocation -> exposer.
 */
class RelayedTunnel {
  readonly kind: RelayKind;
  readonly tunnel: Tunnel;
  private turn?: Proc;
  /** The relay process: `p2prc server` for ours, `turnserver` for coturn. */
  relayPid?: number;
  /** Threads of the relay process once the tunnel is up. */
  relayThreads = 0;

  constructor(kind: RelayKind) {
    this.kind = kind;
    this.tunnel = new Tunnel(`${kind}/`);
  }

  get route(): string {
    return this.tunnel.setup?.route ?? '?';
  }

  async start(servicePort: number, root: string): Promise<void> {
    const range = RELAY_PORTS[this.kind];
    let serverArgs: string[];
    if (this.kind === 'coturn') {
      const dir = join(root, 'coturn');
      mkdirSync(dir);
      const port = await freeUdpPort();
      // coturn as users run it: default threading (a UDP relay thread per CPU core).
      this.turn = new Proc(
        'coturn',
        [
          '-n', `--listening-ip=${HOST}`, `--listening-port=${port}`, `--relay-ip=${HOST}`, `--min-port=${range.min}`, `--max-port=${range.max}`,
          '--use-auth-secret', `--static-auth-secret=${RELAY_SECRET}`, '--realm=bench', '--no-cli', '--no-tls', '--no-dtls', '--allow-loopback-peers',
          '--log-file=stdout', '--simple-log', `--pidfile=${join(dir, 'pid')}`, `--db=${join(dir, 'turndb')}`,
        ],
        'turnserver',
      );
      const tl = await this.turn.waitFor((o) => typeof o.text === 'string' && o.text.includes('pid file created'), "coturn's 'pid file created' line", 15_000);
      // Its listener and relay threads come up after the pid file.
      await new Promise((r) => setTimeout(r, 500));
      if (!alive(this.turn.child)) throw new Error('coturn exited during start-up');
      this.relayPid = this.turn.child.pid;
      progress(`coturn: turnserver pid ${this.relayPid} on ${HOST}:${port}/udp (pid file after ${(tl.at - this.turn.spawnedAt).toFixed(0)} ms)`);
      serverArgs = ['--no-relay', '--ice-server', `turn:${HOST}:${port}?transport=udp`];
    } else {
      serverArgs = ['--stun-port', '0', '--allow-private-peers', '--relay-ports', `${range.min}-${range.max}`];
    }
    // The peers' ICE sockets are on other loopback addresses than the relay's. With all on
    // 127.0.0.1, a permission for the other peer's relay address (IP only, RFC 8656 §9)
    // also lets in its host socket: ICE then finds a host <-> prflx pair through that hole
    // and moves the traffic off the relay, --force-relay or not (seen with coturn: the
    // route line said relay, coturn used no CPU). From 127.0.0.2/3 nothing but the relay
    // has a permission, so every byte goes through it.
    await this.tunnel.launch(servicePort, root, [...serverArgs, '--secret', RELAY_SECRET], {
      args: ['--force-relay', '--secret', RELAY_SECRET],
      exposeBind: RELAY_PEER_BIND.expose,
      connectBind: RELAY_PEER_BIND.connect,
    });
    if (this.kind === 'ours') this.relayPid = this.tunnel.server?.child.pid;
    // The route must be relay <-> relay through this relay's port range: otherwise the comparison is void.
    const r = this.tunnel.routeLine;
    const relayed = (c?: Endpoint): boolean => c?.type === 'relay' && c.port !== undefined && c.port >= range.min && c.port <= range.max;
    if (r?.kind !== 'relay' || !relayed(r.local) || !relayed(r.remote)) {
      throw new Error(`${this.kind}: route ${this.route} is not relay <-> relay on ports ${range.min}-${range.max}, so it did not go through ${this.kind === 'ours' ? 'our relay' : 'coturn'}`);
    }
    this.relayThreads = threadCpuMs(this.relayPid).size;
  }

  async stop(): Promise<void> {
    await this.tunnel.stop();
    await this.turn?.stop();
  }
}

// ---------------------------------------------------------------- stats and output

interface Latency {
  meanUs: number;
  p50Us: number;
  p99Us: number;
  minUs: number;
}

function latency(rtts: number[]): Latency {
  const s = [...rtts].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { meanUs: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length), p50Us: q(0.5), p99Us: q(0.99), minUs: s[0] ?? NaN };
}

interface Run {
  secs: number;
  /** CPU ms per process during the run (bench = this process). */
  cpuMs: Record<string, number>;
}

interface Throughput {
  bestMiBps: number;
  runsMiBps: number[];
  /** CPU of the best run: total ms, ms per MiB, cores busy on average, and per process. */
  cpuMs: number;
  cpuMsPerMiB: number;
  cores: number;
  coresByProcess: Record<string, number>;
}

function throughput(mib: number, runs: Run[]): Throughput {
  const rates = runs.map((r) => mib / r.secs);
  let best = runs[0]!;
  for (const r of runs) if (r.secs < best.secs) best = r;
  const cpuMs = Object.values(best.cpuMs).reduce((a, b) => a + b, 0);
  const coresByProcess: Record<string, number> = {};
  for (const [k, v] of Object.entries(best.cpuMs)) {
    const cores = v / (best.secs * 1000);
    if (cores >= 0.02) coresByProcess[k] = r2(cores); // idle bystanders left out
  }
  return { bestMiBps: mib / best.secs, runsMiBps: rates, cpuMs, cpuMsPerMiB: cpuMs / mib, cores: cpuMs / (best.secs * 1000), coresByProcess };
}

const r1 = (n: number): number => Math.round(n * 10) / 10;
const r2 = (n: number): number => Math.round(n * 100) / 100;
const r3 = (n: number): number => Math.round(n * 1000) / 1000;

function table(header: string[], rows: string[][], rightFrom = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i >= rightFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------- relayed comparison

interface RelayRun {
  secs: number;
  /** CPU ms per process during the run (relay = the relay process). */
  cpuMs: Record<string, number>;
  /** CPU ms per thread of the relay process during the run. */
  threadMs: Record<string, number>;
}

interface RelayFigures {
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
  route: string;
}

interface RelayComparison {
  mib: number;
  runs: number;
  ours: RelayFigures;
  /** Undefined when coturn is not installed. */
  coturn?: RelayFigures;
  ratio?: number;
  pass?: boolean;
}

function relayFigures(rt: RelayedTunnel, mib: number, runs: RelayRun[]): RelayFigures {
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
        .filter(([, c]) => c >= 0.02)
        .sort((x, y) => y[1] - x[1])
        .map(([k, c]) => [k, r2(c)]),
    );
  const byProcess = sum((r) => r.cpuMs);
  const relayMs = byProcess.relay ?? NaN;
  const gib = (mib * runs.length) / 1024;
  return {
    bestMiBps: Math.max(...rates),
    runsMiBps: rates,
    relayCpuSPerGiB: relayMs / 1000 / gib,
    relayCores: relayMs / wallMs,
    relayThreads: rt.relayThreads,
    relayCoresByThread: cores(sum((r) => r.threadMs)),
    coresByProcess: cores(byProcess),
    route: rt.route,
  };
}

/**
 * The tunnel with both peers on --force-relay, through our relay and through
 * coturn, measured in alternation. `live` gets the tunnels as they are created,
 * so the caller can stop them whatever happens.
 */
async function relayComparison(opts: Options, servicePort: number, root: string, payload: Buffer, live: RelayedTunnel[]): Promise<RelayComparison> {
  const bytes = Math.round(opts.relayMib * MiB);
  const mib = bytes / MiB;
  const warmBytes = Math.min(bytes, 16 * MiB);
  // Generous: even 2 MiB/s finishes; a stall fails the run instead of hanging.
  const timeoutMs = 30_000 + (bytes / (2 * MiB)) * 1000;
  const kinds: RelayKind[] = ['ours'];
  if (haveCoturn()) kinds.push('coturn');
  else progress('warning: coturn (turnserver) is not installed: the relayed comparison has our relay only');
  const rts: RelayedTunnel[] = [];
  for (const k of kinds) {
    progress(`relayed tunnel via ${k === 'ours' ? 'our relay' : 'coturn'}: starting (both peers --force-relay)`);
    const rt = new RelayedTunnel(k);
    live.push(rt);
    rts.push(rt);
    await rt.start(servicePort, root);
  }
  progress(`relayed warm-up: ${warmBytes / MiB} MiB through each relay`);
  for (const rt of rts) await tcpBulk(rt.tunnel.listenPort, warmBytes, payload, timeoutMs);

  const measure = rts.map((rt) => {
    const pid = (suffix: string): number | undefined => rt.tunnel.procs.find((p) => p.name.endsWith(suffix))?.child.pid;
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
    }
    progress(
      `relayed run ${run}/${opts.runs}: ` +
        measure.map((m) => `${m.rt.kind === 'ours' ? 'our relay' : 'coturn'} ${(mib / m.runs[m.runs.length - 1]!.secs).toFixed(1)} MiB/s`).join(', '),
    );
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

function mapVals<T extends object>(o: T, f: (n: number) => number): Record<keyof T, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v as number)])) as Record<keyof T, number>;
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
