/**
 * The bench's lab rows (issue #9): throughput and setup on emulated links, as
 * users see them. Two hosts behind cone NATs (h1a behind r1, h2a behind r2); the
 * two NAT routers' WAN links and the server's link go through the link emulator
 * (test/lab/link-emulator.ts). Per scenario (RTT, loss, rate cap) each path moves
 * bytes from h1a to the same sink in h2a for a few seconds:
 *
 *   plain-tcp         h1a -> r2's port forward -> sink (the ceiling a user compares with)
 *   raw-dc-stock      a raw node-datachannel channel h1a -> h2a, libdatachannel's stock SCTP settings
 *   tunnel-direct     p2prc connect (h1a) -> data channel -> p2prc expose (h2a) -> sink
 *   tunnel-our-relay  the same with --force-relay through our relay (server link: 203.0.113.1)
 *   tunnel-coturn     the same through coturn (203.0.113.2), signalled by a second server
 *   tunnel-relay-tcp  tunnel-our-relay with both peers reaching the relay over TCP (their bridges)
 *   tunnel-relay-tls  the same over TLS (port 443)
 *
 * Each tunnel path gets a fresh connector per scenario (the bytes an earlier
 * scenario left queued in SCTP must not slow the next one). Rates are the sink's
 * count over [1 s, D s] of each transfer (child.ts). Setup: N fresh connectors
 * per RTT, direct and relayed, from the route event's setupMs plus the first
 * byte through a new stream (child.ts first), p50/p95, in ms and RTTs.
 *
 * The relay's link adds RELAY_DELAY_MS one way: a relayed path crosses it twice
 * each way, so relayed RTT = RTT + 4 x RELAY_DELAY_MS (the detour).
 */
import { createHmac } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, tmpDir, type Proc } from '../../test/helpers.js';
import { reportEnv, stuckReport } from '../../test/harness/stuck-report.js';
import { Lab, SERVER_IPS, labUnavailable, shapePath } from '../../test/lab/lab.js';
import { SERVER_URL, startLabServer } from '../../test/lab/suite.js';
import { CpuMeter } from '../cpu.js';
import type { BenchRow } from '../rows.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHILD = join(HERE, 'child.js');
const RAW_PEER = join(HERE, 'raw-dc-peer.js');

export const RELAY_DELAY_MS = 1;
const SECRET = 'bench-lab-secret';
const SINK_PORT = 7001;
const FWD_PORT = 7001;
const COTURN_PORT = 3479;
const SERVER_B_PORT = 8089;
const START_MS = 30_000;
/** A connector silent this long after start is stuck (it reports its own failures within 30 s). */
const ROUTE_WAIT_MS = 60_000;

export type LabPath = 'plain-tcp' | 'raw-dc-stock' | 'tunnel-direct' | 'tunnel-our-relay' | 'tunnel-coturn' | 'tunnel-relay-tcp' | 'tunnel-relay-tls';

/** The tunnel paths: their exposer's name, signal server, and the flags of both peers. */
const TUNNELS: Record<Exclude<LabPath, 'plain-tcp' | 'raw-dc-stock'>, { name: string; server: 'a' | 'b'; flags: string[] }> = {
  'tunnel-direct': { name: 'labd', server: 'a', flags: [] },
  'tunnel-our-relay': { name: 'labr', server: 'a', flags: ['--force-relay'] },
  'tunnel-coturn': { name: 'labc', server: 'b', flags: ['--force-relay'] },
  'tunnel-relay-tcp': { name: 'labt', server: 'a', flags: ['--force-relay', '--relay-transport', 'tcp'] },
  'tunnel-relay-tls': { name: 'labs', server: 'a', flags: ['--force-relay', '--relay-transport', 'tls'] },
};

/** A bench row (bench/rows.ts) measured in the lab. */
export type LabRow = BenchRow & { path: LabPath; where: 'lab' };

export interface Scenario {
  rttMs: number;
  lossPct: number;
  rateMbit: number | null;
}

export interface LabMatrixOptions {
  scenarios: Scenario[];
  /** Seconds per transfer (the rate is taken over [1 s, seconds]). */
  seconds: number;
  /** Fresh connectors per RTT for the setup figures (0: none). */
  setupRuns: number;
  /** RTTs to measure setup at (loss 0, no cap). */
  setupRtts: number[];
  /** The paths whose setup is measured (default direct and our relay). */
  setupPaths?: LabPath[];
  paths?: LabPath[];
  progress: (line: string) => void;
  /** Extra flags for every exposer and connector of the tunnel paths (e.g. `--sctp-cc 1`). */
  peerFlags?: string[];
  /** One-way delay of the relay's (server's) link, ms (default RELAY_DELAY_MS). */
  relayDelayMs?: number;
  /** Called right before and right after each tunnel transfer (probes: CPU, counters). */
  aroundTransfer?: { before(path: string, bench: LabBench): Promise<void>; after(path: string, bench: LabBench): Promise<void> };
}

/** The paths of the bench's lab rows. */
export const DEFAULT_PATHS: LabPath[] = ['plain-tcp', 'raw-dc-stock', 'tunnel-direct', 'tunnel-our-relay', 'tunnel-coturn'];

export const FULL_SCENARIOS: Scenario[] = [0, 20, 50, 100, 200].flatMap((rttMs) =>
  [0, 1].flatMap((lossPct) => [null, 200].map((rateMbit) => ({ rttMs, lossPct, rateMbit }))),
);
export const QUICK_SCENARIOS: Scenario[] = [0, 50].map((rttMs) => ({ rttMs, lossPct: 0, rateMbit: null }));

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

interface Setup {
  totalMs: number;
  phases?: Record<string, number>;
}

/** Why the lab rows cannot run here, or undefined. */
export function labRowsUnavailable(): string | undefined {
  return labUnavailable();
}

export class LabBench {
  lab!: Lab;
  private readonly procs: Proc[] = [];
  private n = 0;
  /** Where stuck connectors' diagnostic reports go (stuckReport). */
  private readonly reports = tmpDir('p2prc-lab-reports-');
  constructor(private readonly o: LabMatrixOptions) {}

  private get h1(): string {
    return this.lab.host('h1a').ns;
  }
  private get h2(): string {
    return this.lab.host('h2a').ns;
  }

  async start(): Promise<void> {
    const log = this.o.progress;
    this.lab = await Lab.create({ publicHosts: 0, natHosts: [1, 1], firewallHosts: [], emulate: ['srv', 'r1', 'r2'] });
    log(`lab ${this.lab.prefix}: h1a behind r1 (eim), h2a behind r2 (eim); emulated links r1, r2, srv`);
    // Our server (signalling + relay) on .1; coturn on .2 with a second signal server that hands out coturn.
    this.procs.push(await startLabServer(this.lab, ['--host', SERVER_IPS[0], '--data-dir', tmpDir('p2prc-lab-srv-'), '--secret', SECRET, '--relay-ports', '50000-50999', '--turn-tls-port', '443']));
    const srv = this.lab.server.ns;
    const cdir = tmpDir('p2prc-lab-coturn-');
    const coturn = this.lab.spawn(srv, 'coturn', 'turnserver', [
      '-n', `--listening-ip=${SERVER_IPS[1]}`, `--listening-port=${COTURN_PORT}`, `--relay-ip=${SERVER_IPS[1]}`, '--min-port=51000', '--max-port=51999',
      '--use-auth-secret', `--static-auth-secret=${SECRET}`, '--realm=bench', '--no-cli', '--no-tls', '--no-dtls',
      '--log-file=stdout', '--simple-log', `--pidfile=${join(cdir, 'pid')}`, `--db=${join(cdir, 'turndb')}`,
    ]);
    this.procs.push(coturn);
    await coturn.waitFor(/pid file created/, 'any', START_MS);
    const serverB = this.lab.spawnNode(srv, 'server-b', CLI, [
      '--json', 'server', '--host', SERVER_IPS[1], '--port', String(SERVER_B_PORT), '--no-relay', '--ice-server', `turn:${SERVER_IPS[1]}:${COTURN_PORT}?transport=udp`,
      '--secret', SECRET, '--data-dir', tmpDir('p2prc-lab-srvb-'),
    ]);
    this.procs.push(serverB);
    await serverB.waitForEvent('listening', START_MS);
    // The sink in h2a, and a port forward to it on r2 for plain TCP.
    const sink = this.lab.spawnNode(this.h2, 'sink', CHILD, ['serve', String(SINK_PORT)]);
    this.procs.push(sink);
    await sink.waitForEvent({ listening: SINK_PORT }, START_MS);
    const r2 = this.lab.router('r2');
    await this.lab.execOk(r2.ns, ['iptables', '-t', 'nat', '-I', 'PREROUTING', '-i', 'wan', '-p', 'tcp', '--dport', String(FWD_PORT), '-j', 'DNAT', '--to-destination', `${this.lab.host('h2a').ip}:${SINK_PORT}`]);
    await this.lab.execOk(r2.ns, ['iptables', '-I', 'FORWARD', '-i', 'wan', '-m', 'conntrack', '--ctstate', 'DNAT', '-j', 'ACCEPT']);
    // The exposers in h2a, one per tunnel path measured (they stay; connectors are fresh per scenario).
    const paths = new Set([...(this.o.paths ?? DEFAULT_PATHS), ...(this.o.setupPaths ?? [])]);
    for (const [path, t] of Object.entries(TUNNELS)) {
      if (!paths.has(path as LabPath)) continue;
      const ex = this.lab.spawnNode(this.h2, `expose:${t.name}`, CLI, [
        '--json', '--log-level', 'warn', 'expose', `sink=127.0.0.1:${SINK_PORT}`, '--name', t.name, '--server', this.url(t.server), '--data-dir', tmpDir('p2prc-lab-ex-'),
        // The setup rows start 20 fresh connectors (new identities) a minute per RTT: above
        // the default budget for sessions from strangers (--max-new-sessions 30), which would
        // refuse some of them as a flood. The bench measures setup, not that defence.
        '--secret', SECRET, '--max-new-sessions', '600', ...t.flags, ...(this.o.peerFlags ?? []),
      ], {}, { maxLines: 200 });
      this.procs.push(ex);
      await ex.waitForEvent({ event: 'registered' }, START_MS);
    }
    log(`lab bench: servers, coturn, sink and the exposers of ${[...paths].filter((p) => p in TUNNELS).join(', ')} up`);
  }

  private url(server: 'a' | 'b'): string {
    return server === 'a' ? SERVER_URL : `ws://${SERVER_IPS[1]}:${SERVER_B_PORT}`;
  }

  async shape(s: Scenario): Promise<void> {
    await shapePath({ a: this.lab.link('r1'), b: this.lab.link('r2'), relay: this.lab.link('srv') }, { rttMs: s.rttMs, lossPct: s.lossPct, rateMbit: s.rateMbit ?? 0 }, this.o.relayDelayMs ?? RELAY_DELAY_MS);
    await this.lab.flushConntrack([this.lab.router('r1').ns]);
  }

  /** A fresh connector for tunnel path `path`; resolves with it, its port and its setup. */
  async connector(path: LabPath): Promise<{ co: Proc; port: number; setup: Setup }> {
    const n = ++this.n;
    const t = TUNNELS[path as keyof typeof TUNNELS];
    if (!t) throw new Error(`${path} is not a tunnel path`);
    const target = t.name;
    const port = 9400 + (n % 500);
    const co = this.lab.spawnNode(this.h1, `connect:${path}#${n}`, CLI, [
      '--json', '--log-level', 'warn', 'connect', `${target}/sink`, '--listen', `127.0.0.1:${port}`, '--name', `labco${n}`, '--server', this.url(t.server),
      '--data-dir', tmpDir('p2prc-lab-co-'), '--secret', SECRET, ...t.flags, ...(this.o.peerFlags ?? []),
    ], reportEnv(this.reports), { maxLines: 200 });
    co.failOn(/no connection yet/);
    // connect gives up by itself within PEER_WAIT_MS + CONNECT_TIMEOUT_MS (30 s) and says so;
    // silence past ROUTE_WAIT_MS means it is stuck: say where, and what its exposer printed.
    const route = (await co.waitForEvent('route', ROUTE_WAIT_MS).catch(async (err: Error) => {
      const ex = this.procs.find((p) => p.name === `expose:${target}`);
      // Only silence is a sign of a stuck process; a failure it reported speaks for itself.
      const stuck = /timed out after/.test(err.message) ? `\n${await stuckReport(co.pid, this.reports)}` : '';
      throw new Error(`${err.message}${stuck}\n${ex?.dump() ?? ''}`);
    })) as { setupMs?: number; phases?: Record<string, number>; kind?: string };
    const want = path === 'tunnel-direct' ? 'direct' : 'relay';
    // With a relay on offer, libjuice may report the relay pair first and nominate the
    // direct one a couple of seconds later (a later route event): the setup figure is the
    // first route's, the transfer waits for the path it is meant to measure.
    if (route.kind !== want) await co.waitForEvent({ event: 'route', kind: want }, 15_000);
    const first = await this.child(this.h1, ['first', '127.0.0.1', String(port)], 90_000);
    return { co, port, setup: { totalMs: Number(route.setupMs) + Number(first.ms), ...(route.phases ? { phases: route.phases } : {}) } };
  }

  private async child(ns: string, args: string[], timeoutMs: number): Promise<Record<string, number> & { error?: string }> {
    const r = await this.lab.exec(ns, [process.execPath, CHILD, ...args], { timeoutMs });
    const j = JSON.parse(r.stdout.trim().split('\n').pop() || '{}') as Record<string, number> & { error?: string };
    if (j.error || r.code !== 0) throw new Error(`child ${args.join(' ')}: ${j.error ?? r.stderr}`);
    return j;
  }

  /** One transfer on `path`; MiB/s and the CPU of the path's own processes per MiB. */
  async throughput(path: LabPath, s: Scenario): Promise<{ mibPerSec: number; cpuMsPerMib: number | null; note?: string; t0Epoch?: number; series?: [number, number][] }> {
    const secs = String(this.o.seconds);
    if (path === 'plain-tcp') {
      const j = await this.child(this.h1, ['send', this.lab.router('r2').wanIp, String(FWD_PORT), secs], this.o.seconds * 1000 + 60_000);
      return { mibPerSec: j.mibPerSec!, cpuMsPerMib: null };
    }
    if (path === 'raw-dc-stock') return this.rawDc();
    const { co } = await this.connector(path);
    try {
      const meter = new CpuMeter([['connect', co.pid]]);
      await this.o.aroundTransfer?.before(path, this);
      const a = meter.snapshot();
      const j = await this.child(this.h1, ['send', '127.0.0.1', String(co.eventsMatching('listening').map((e) => Number(e.port))[0]), secs], this.o.seconds * 1000 + 60_000);
      const cpu = CpuMeter.diff(a, meter.snapshot());
      await this.o.aroundTransfer?.after(path, this);
      const mib = j.total! / 1048576;
      const series = (j as unknown as { series?: [number, number][] }).series;
      return { mibPerSec: j.mibPerSec!, cpuMsPerMib: mib > 0 && cpu.connect !== undefined ? cpu.connect / mib : null, note: `rtt ${s.rttMs}`, t0Epoch: j.t0Epoch!, ...(series ? { series } : {}) };
    } finally {
      await co.stop('SIGKILL', 2000);
    }
  }

  /**
   * A raw channel (libdatachannel's stock SCTP settings unless `settings`),
   * signalled through our stdio, STUN from our server; the rate is the
   * receiver's count over [1 s, D] as for the TCP paths.
   */
  async rawDc(settings: Record<string, number> = {}, options: Record<string, number> = {}, iceServer?: string): Promise<{ mibPerSec: number; cpuMsPerMib: null; series: [number, number][]; t0Epoch: number; srtt: [number, number][] }> {
    const stun = iceServer ?? `stun:${SERVER_IPS[0]}:3478`;
    const args = (role: string): string[] => [role, JSON.stringify(settings), stun, JSON.stringify(options)];
    const off = this.lab.spawnNode(this.h1, 'raw-offer', RAW_PEER, args('offer'), {}, { stdin: true, maxLines: 100 });
    const ans = this.lab.spawnNode(this.h2, 'raw-answer', RAW_PEER, args('answer'), {}, { stdin: true, maxLines: 100 });
    try {
      off.onEvent((e) => (e.sdp || e.c ? ans.send(e) : undefined));
      ans.onEvent((e) => (e.sdp || e.c ? off.send(e) : undefined));
      await Promise.all([off.waitForEvent({ open: true }, 60_000), ans.waitForEvent({ open: true }, 60_000)]);
      const t0 = performance.now();
      const t0Epoch = Date.now();
      const reports: [number, number][] = [];
      const srtt: [number, number][] = [];
      ans.onEvent((e) => {
        if (typeof e.progress === 'number') reports.push([performance.now() - t0, e.progress]);
      });
      off.onEvent((e) => {
        if (typeof e.srtt === 'number') srtt.push([performance.now() - t0, e.srtt]);
      });
      await this.o.aroundTransfer?.before('raw-dc', this);
      off.send({ send: true });
      await ans.waitForEvent(() => reports.length > 0 && reports[reports.length - 1]![0] >= this.o.seconds * 1000, this.o.seconds * 1000 + 60_000);
      await this.o.aroundTransfer?.after('raw-dc', this);
      const from = reports.find(([t]) => t >= 1000) ?? reports[0]!;
      const to = reports[reports.length - 1]!;
      return { mibPerSec: (to[1] - from[1]) / 1048576 / ((to[0] - from[0]) / 1000), cpuMsPerMib: null, series: reports, t0Epoch, srtt };
    } finally {
      await Promise.all([off.stop('SIGKILL', 2000), ans.stop('SIGKILL', 2000)]);
    }
  }

  /**
   * A TURN server for a raw channel (JSON, see raw-dc-peer.ts): ours or coturn, with
   * REST credentials from the lab's secret for a user that is not a peer id (a new one per call).
   */
  turnServer(which: 'ours' | 'coturn'): string {
    // A user of its own per raw channel: the peers are killed without freeing their
    // allocations, and one shared user would reach the relay's per-user quota.
    const username = `${Math.floor(Date.now() / 1000) + 3600}:rawdc${++this.n}`;
    const password = createHmac('sha1', SECRET).update(username).digest('base64');
    return JSON.stringify(which === 'ours' ? { hostname: SERVER_IPS[0], port: 3478, username, password } : { hostname: SERVER_IPS[1], port: COTURN_PORT, username, password });
  }

  async stop(): Promise<void> {
    await Promise.all(this.procs.map((p) => p.stop('SIGKILL', 2000)));
    await this.lab?.destroy();
  }
}

/** Run the lab matrix; rows in scenario order, then the setup rows. */
export async function runLabMatrix(o: LabMatrixOptions): Promise<LabRow[]> {
  const paths = o.paths ?? DEFAULT_PATHS;
  const b = new LabBench(o);
  const rows: LabRow[] = [];
  try {
    await b.start();
    for (const [i, s] of o.scenarios.entries()) {
      await b.shape(s);
      let tcp: number | null = null;
      for (const path of paths) {
        o.progress(`lab ${i + 1}/${o.scenarios.length}: RTT ${s.rttMs} ms, loss ${s.lossPct} %, cap ${s.rateMbit ?? 'none'}: ${path} ...`);
        const r = await b.throughput(path, s);
        if (path === 'plain-tcp') tcp = r.mibPerSec;
        o.progress(`lab ${i + 1}/${o.scenarios.length}: ${path} ${r.mibPerSec.toFixed(2)} MiB/s`);
        rows.push({ path, where: 'lab', ...s, mibPerSec: r.mibPerSec, ratioToTcp: tcp ? r.mibPerSec / tcp : null, cpuMsPerMib: r.cpuMsPerMib, setupP50Ms: null, setupP95Ms: null });
      }
    }
    for (const rtt of o.setupRtts) {
      if (!o.setupRuns) break;
      const s: Scenario = { rttMs: rtt, lossPct: 0, rateMbit: null };
      await b.shape(s);
      for (const path of o.setupPaths ?? (['tunnel-direct', 'tunnel-our-relay'] as const)) {
        const samples: Setup[] = [];
        for (let k = 0; k < o.setupRuns; k++) {
          const { co, setup } = await b.connector(path);
          await co.stop('SIGKILL', 2000);
          samples.push(setup);
          o.progress(`lab setup RTT ${rtt} ms ${path}: run ${k + 1}/${o.setupRuns}: ${setup.totalMs.toFixed(0)} ms`);
        }
        const tot = samples.map((x) => x.totalMs);
        const p50 = pct(tot, 50);
        const p95 = pct(tot, 95);
        // The route's phases (src/peer/setup-phases.ts): the durations, not the marks (`at`) or the start time.
        const phaseNames = [...new Set(samples.flatMap((x) => Object.entries(x.phases ?? {}).filter(([k, v]) => typeof v === 'number' && k !== 'startEpochMs').map(([k]) => k)))];
        const phases = phaseNames.map((k) => `${k} ${pct(samples.map((x) => x.phases?.[k] ?? 0), 50).toFixed(0)}`).join(', ');
        rows.push({
          path, where: 'lab', rttMs: rtt, lossPct: 0, rateMbit: null, mibPerSec: 0, ratioToTcp: null, cpuMsPerMib: null,
          setupP50Ms: p50, setupP95Ms: p95, setupRtts: rtt > 0 ? { p50: p50 / rtt, p95: p95 / rtt } : null,
          note: `setup over ${samples.length} fresh connectors (route setupMs + first byte of a new stream)${phases ? `; phases p50 ms: ${phases}` : ''}`,
        });
      }
    }
  } finally {
    await b.stop();
  }
  return rows;
}
