/**
 * Session setup, phase by phase (issue #9): `node dist/bench/setup-runs.js`.
 *
 * One signal server and one exposer (an echo service behind it) stay up; each run
 * starts a fresh `p2prc connect` (new identity, so a new session), opens a TCP
 * connection to its listener the moment it listens, sends one byte and waits for
 * it to come back. Per run: the connector's `route` and `setup` events (the phases,
 * src/peer/setup-phases.ts), the exposer's `route` event (the answerer's phases),
 * and the first byte as the client saw it, from connect's `listening` line.
 * Printed: p50/p95 of every phase in ms and, with --rtt-ms, in round trips.
 *
 * Flags: --runs N (20), --no-relay (the server runs no STUN/TURN: host candidates
 * only), --rtt-ms R (convert to round trips of R ms), --json (one object on stdout).
 * Loopback only; every process is stopped and every temp dir removed at the end.
 */
import { connect as tcpConnect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { HOST, progress, withTimeout } from './common.js';
import { mkTemp, removeTemps, spawnCli, stopProc, type Proc } from './proc.js';
import type { Json } from '../test/harness/process.js';

interface Options {
  runs: number;
  relay: boolean;
  rttMs?: number;
  json: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { runs: 20, relay: true, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--no-relay') o.relay = false;
    else if (a === '--rtt-ms') o.rttMs = Number(argv[++i]);
    else if (a === '--json') o.json = true;
    else throw new Error(`unknown flag ${a}`);
  }
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs: a whole number >= 1');
  return o;
}

/** One run: the phases each side reported and the first byte as the client saw it. */
export interface SetupRun {
  /** connect's `listening` line to the first byte back at the TCP client. */
  clientFirstByteMs: number;
  connect: Record<string, number>;
  expose: Record<string, number>;
  route: string;
}

/** Numeric phases of a `phases` object (its `at` marks left out, `at.*` kept for the marks). */
function flatten(phases: Json | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!phases) return out;
  for (const [k, v] of Object.entries(phases)) {
    if (typeof v === 'number') out[k] = v;
    else if (k === 'at' && v && typeof v === 'object') for (const [m, t] of Object.entries(v as Record<string, unknown>)) if (typeof t === 'number') out[`at.${m}`] = t;
  }
  return out;
}

async function echoService(): Promise<{ port: number; close: () => Promise<void> }> {
  const socks = new Set<Socket>();
  const server: Server = createServer((s) => {
    socks.add(s);
    s.once('close', () => socks.delete(s));
    s.on('error', () => s.destroy());
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, HOST, r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of socks) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Connect to `port`, send one byte, resolve when it comes back (performance.now()). */
function firstByte(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = tcpConnect({ host: HOST, port }, () => s.write('x'));
    s.setNoDelay(true);
    s.once('data', () => {
      const at = performance.now();
      s.destroy();
      resolve(at);
    });
    s.once('error', reject);
    s.once('close', () => reject(new Error('closed before the first byte')));
  });
}

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  // Nearest rank: the smallest value with at least q of the values at or below it.
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const root = mkTemp('p2prc-setup-');
  const svc = await echoService();
  const procs: Proc[] = [];
  const cli = (name: string, args: string[]): Proc => {
    const p = spawnCli(name, ['--json', '--log-level', process.env.BENCH_LOG_LEVEL ?? 'warn', ...args]);
    procs.push(p);
    return p;
  };
  const runs: SetupRun[] = [];
  try {
    const server = cli('server', ['server', '--host', HOST, '--port', '0', ...(o.relay ? ['--stun-port', '0', '--allow-private-peers'] : ['--no-relay']), '--data-dir', `${root}/server`]);
    const url = `ws://${HOST}:${Number((await server.waitForEvent('listening')).port)}`;
    const expose = cli('expose', ['expose', `echo=${HOST}:${svc.port}`, '--name', 'setup-alice', '--server', url, '--data-dir', `${root}/alice`, '--bind', HOST, '--max-new-sessions', '100000']);
    await expose.waitForEvent('registered');
    progress(`server ${url} (relay ${o.relay ? 'on' : 'off'}), exposer up; ${o.runs} runs`);
    for (let i = 0; i < o.runs; i++) {
      const co = cli(`connect${i}`, ['connect', 'setup-alice/echo', '--listen', `${HOST}:0`, '--name', `setup-bob${i}`, '--server', url, '--data-dir', `${root}/bob${i}`, '--bind', HOST]);
      co.failOn(/no connection yet/);
      const l = await co.waitForEventTimed('listening');
      const back = await withTimeout(firstByte(Number(l.obj.port)), 20_000, `run ${i}: first byte`);
      const setup = await co.waitForEvent('setup', 10_000);
      const route = await co.waitForEvent('route', 10_000);
      const exRoute = await expose.waitForEvent({ event: 'route', peer: `setup-bob${i}` }, 5000).catch(() => undefined);
      const r: SetupRun = {
        clientFirstByteMs: Math.round((back - l.at) * 10) / 10,
        connect: flatten(setup.phases as Json),
        expose: flatten(exRoute?.phases as Json | undefined),
        route: `${String(route.kind)} ${String((route.local as Json).type)} <-> ${String((route.remote as Json).type)}`,
      };
      runs.push(r);
      progress(`run ${i}: first byte ${r.clientFirstByteMs} ms (in connect ${r.connect.totalMs} ms), ${r.route}`);
      await stopProc(co);
      procs.splice(procs.indexOf(co), 1);
    }
  } finally {
    await Promise.all(procs.filter((p) => p.name !== 'server').map(stopProc));
    await Promise.all(procs.map(stopProc));
    await svc.close();
    await removeTemps();
  }
  report(runs, o);
}

const PHASES = ['lookupMs', 'prepMs', 'signalMs', 'ackMs', 'iceMs', 'dtlsMs', 'sctpMs', 'dtlsSctpMs', 'controlMs', 'streamMs', 'firstByteMs', 'totalMs'];

function summary(runs: SetupRun[], side: 'connect' | 'expose', rttMs?: number): Record<string, { p50: number; p95: number; n: number; p50Rtt?: number; p95Rtt?: number }> {
  const out: Record<string, { p50: number; p95: number; n: number; p50Rtt?: number; p95Rtt?: number }> = {};
  const keys = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r[side])) keys.add(k);
  const order = [...PHASES.filter((k) => keys.has(k)), ...[...keys].filter((k) => !PHASES.includes(k)).sort()];
  for (const k of order) {
    const xs = runs.map((r) => r[side][k]).filter((x): x is number => x !== undefined);
    const p50 = quantile(xs, 0.5);
    const p95 = quantile(xs, 0.95);
    out[k] = { p50, p95, n: xs.length, ...(rttMs ? { p50Rtt: Math.round((p50 / rttMs) * 10) / 10, p95Rtt: Math.round((p95 / rttMs) * 10) / 10 } : {}) };
  }
  return out;
}

function report(runs: SetupRun[], o: Options): void {
  const client = runs.map((r) => r.clientFirstByteMs);
  const res = {
    runs: runs.length,
    relay: o.relay,
    rttMs: o.rttMs,
    clientFirstByteMs: { p50: quantile(client, 0.5), p95: quantile(client, 0.95) },
    connect: summary(runs, 'connect', o.rttMs),
    expose: summary(runs, 'expose', o.rttMs),
    routes: [...new Set(runs.map((r) => r.route))],
    all: runs,
  };
  if (o.json) {
    process.stdout.write(JSON.stringify(res) + '\n');
    return;
  }
  const line = (name: string, s: { p50: number; p95: number; n: number; p50Rtt?: number; p95Rtt?: number }): string =>
    `  ${name.padEnd(22)} p50 ${String(s.p50).padStart(7)}  p95 ${String(s.p95).padStart(7)}${s.p50Rtt !== undefined ? `   (${s.p50Rtt} / ${s.p95Rtt} RTT)` : ''}${s.n < runs.length ? `  [${s.n} runs]` : ''}`;
  console.log(`setup over ${runs.length} runs, relay ${o.relay ? 'on' : 'off'}; routes: ${res.routes.join('; ')}`);
  console.log(line('client first byte', { ...res.clientFirstByteMs, n: runs.length }));
  console.log('connect (offerer), ms:');
  for (const [k, s] of Object.entries(res.connect)) console.log(line(k, s));
  console.log('expose (answerer), ms:');
  for (const [k, s] of Object.entries(res.expose)) console.log(line(k, s));
}

main().catch((err: unknown) => {
  process.stderr.write(`setup-runs: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
