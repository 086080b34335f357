/**
 * Session setup, phase by phase (issue #9): `node dist/bench/setup-runs.js`.
 *
 * One signal server and one exposer (an echo service behind it) stay up; each run
 * starts a fresh `p2prc connect` (a new identity, so a new session) with a TCP
 * client that connects the moment the listener is up, sends one byte and waits
 * for it to come back. Per run: the connector's `setup` event (its phases,
 * src/peer/setup-phases.ts), the exposer's `route` event (the answerer's phases)
 * and the first byte as the client saw it, from connect's `listening` line.
 * Printed: p50/p95 of every phase in ms and, with a round-trip time, in RTTs.
 *
 * On loopback by default (bench/setup-loopback.ts); with --lab across the NAT lab
 * (root; bench/setup-lab.ts), the two hosts' links shaped to --rtt-ms.
 *
 * Flags: --runs N (20), --no-relay (loopback: the server runs no STUN/TURN),
 * --lab, --pair public|eim|firewall|symmetric-eim|symmetric (lab, default eim),
 * --force-relay (lab: exposer and connectors run --force-relay, the relayed rows),
 * --rtt-ms R (lab: the RTT between the two hosts, default 50; loopback: only to
 * count in RTTs), --json (one object on stdout). Every process is stopped and
 * every temp dir (and the lab) removed at the end.
 */
import type { Json } from '../test/harness/process.js';
import { progress } from './common.js';
import { removeTemps } from './proc.js';
import { LAB_PAIRS, SetupLab, type LabRun } from './setup-lab.js';
import { SetupLoopback } from './setup-loopback.js';

interface Options {
  runs: number;
  relay: boolean;
  lab: boolean;
  pair: string;
  forceRelay: boolean;
  rttMs?: number;
  json: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { runs: 20, relay: true, lab: false, pair: 'eim', forceRelay: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--no-relay') o.relay = false;
    else if (a === '--lab') o.lab = true;
    else if (a === '--pair') o.pair = String(argv[++i]);
    else if (a === '--rtt-ms') o.rttMs = Number(argv[++i]);
    else if (a === '--force-relay') o.forceRelay = true;
    else if (a === '--json') o.json = true;
    else throw new Error(`unknown flag ${a}`);
  }
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs: a whole number >= 1');
  if (!LAB_PAIRS[o.pair]) throw new Error(`--pair: one of ${Object.keys(LAB_PAIRS).join(', ')}`);
  if (o.lab && o.rttMs === undefined) o.rttMs = 50;
  if (o.forceRelay && !o.lab) throw new Error('--force-relay: with --lab only');
  if (o.rttMs !== undefined && !(o.rttMs >= 0)) throw new Error('--rtt-ms: a number >= 0');
  return o;
}

/** One run: the phases each side reported and the first byte as the client saw it. */
interface SetupRun {
  /** connect's `listening` line to the first byte back at the TCP client (wall clock). */
  clientFirstByteMs: number;
  connect: Record<string, number>;
  expose: Record<string, number>;
  route: string;
  /** The exposer's start (the offer arriving) in the connector's `at` time, to line the two up. */
  exposeStartMs?: number;
}

/** Numeric phases of a `phases` object, its marks as `at.<mark>`. */
function flatten(phases: Json | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!phases) return out;
  for (const [k, v] of Object.entries(phases)) {
    if (typeof v === 'number' && k !== 'startEpochMs') out[k] = v;
    else if (k === 'at' && v && typeof v === 'object') for (const [m, t] of Object.entries(v as Record<string, unknown>)) if (typeof t === 'number') out[`at.${m}`] = t;
  }
  return out;
}

function toRun(r: LabRun): SetupRun {
  const setup = r.connectEvents.find((e) => e.event === 'setup');
  const route = r.connectEvents.find((e) => e.event === 'route' && !e.previous) ?? {};
  const routes = r.connectEvents.filter((e) => e.event === 'route');
  const last = routes[routes.length - 1] ?? route;
  const cStart = (setup?.phases as Json | undefined)?.startEpochMs as number | undefined;
  const eStart = (r.exposeRoute?.phases as Json | undefined)?.startEpochMs as number | undefined;
  const kind = (x: Json): string => `${String(x.kind)} ${String((x.local as Json | undefined)?.type)} <-> ${String((x.remote as Json | undefined)?.type)}`;
  return {
    clientFirstByteMs: Math.round(r.client.backAt - r.listening),
    connect: flatten(setup?.phases as Json | undefined),
    expose: flatten(r.exposeRoute?.phases as Json | undefined),
    route: last === route ? kind(route) : `${kind(route)} then ${kind(last)}`,
    ...(cStart !== undefined && eStart !== undefined ? { exposeStartMs: eStart - cStart } : {}),
  };
}

/** Nearest rank: the smallest value with at least q of the values at or below it. */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

const PHASES = ['lookupMs', 'prepMs', 'signalMs', 'ackMs', 'iceMs', 'dtlsMs', 'sctpMs', 'dtlsSctpMs', 'controlMs', 'streamMs', 'firstByteMs', 'totalMs'];

interface Stat {
  p50: number;
  p95: number;
  n: number;
  p50Rtt?: number;
  p95Rtt?: number;
}

function summary(runs: SetupRun[], side: 'connect' | 'expose', rttMs?: number): Record<string, Stat> {
  const out: Record<string, Stat> = {};
  const keys = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r[side])) keys.add(k);
  const order = [...PHASES.filter((k) => keys.has(k)), ...[...keys].filter((k) => !PHASES.includes(k)).sort()];
  for (const k of order) {
    const xs = runs.map((r) => r[side][k]).filter((x): x is number => x !== undefined);
    out[k] = stat(xs, rttMs);
  }
  return out;
}

function stat(xs: number[], rttMs?: number): Stat {
  const p50 = quantile(xs, 0.5);
  const p95 = quantile(xs, 0.95);
  const rtt = (x: number): number => Math.round((x / rttMs!) * 10) / 10;
  return { p50, p95, n: xs.length, ...(rttMs ? { p50Rtt: rtt(p50), p95Rtt: rtt(p95) } : {}) };
}

function report(runs: SetupRun[], o: Options, where: string): void {
  const res = {
    where,
    runs: runs.length,
    rttMs: o.rttMs,
    clientFirstByteMs: stat(runs.map((r) => r.clientFirstByteMs), o.rttMs),
    connect: summary(runs, 'connect', o.rttMs),
    expose: summary(runs, 'expose', o.rttMs),
    routes: [...new Set(runs.map((r) => r.route))],
    all: runs,
  };
  if (o.json) {
    process.stdout.write(JSON.stringify(res) + '\n');
    return;
  }
  const line = (name: string, s: Stat): string =>
    `  ${name.padEnd(22)} p50 ${String(s.p50).padStart(7)}  p95 ${String(s.p95).padStart(7)}${s.p50Rtt !== undefined ? `   (${s.p50Rtt} / ${s.p95Rtt} RTT)` : ''}${s.n < runs.length ? `  [${s.n} runs]` : ''}`;
  console.log(`setup over ${runs.length} runs, ${where}; routes: ${res.routes.join('; ')}`);
  console.log(line('client first byte', res.clientFirstByteMs));
  console.log('connect (offerer), ms:');
  for (const [k, s] of Object.entries(res.connect)) console.log(line(k, s));
  console.log('expose (answerer), ms:');
  for (const [k, s] of Object.entries(res.expose)) console.log(line(k, s));
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const rig = o.lab ? new SetupLab(LAB_PAIRS[o.pair]!, o.rttMs!, progress, o.forceRelay) : new SetupLoopback(o.relay, progress);
  const where = o.lab ? `NAT lab, ${o.pair} pair, RTT ${o.rttMs} ms${o.forceRelay ? ', --force-relay' : ''}` : `loopback, relay ${o.relay ? 'on' : 'off'}`;
  const runs: SetupRun[] = [];
  try {
    await rig.start();
    for (let i = 0; i < o.runs; i++) {
      const r = toRun(await rig.run(i));
      runs.push(r);
      progress(`run ${i}: first byte ${r.clientFirstByteMs} ms after listening (phases ${r.connect.totalMs} ms), ${r.route}`);
    }
  } finally {
    await rig.stop();
    await removeTemps();
  }
  report(runs, o, where);
}

main().catch((err: unknown) => {
  process.stderr.write(`setup-runs: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
